"""The monthly report: due from 08:00 on the 1st in the business's zone, sent once per month and address, with the
statistics' figures as text and the four charts attached as SVG. Real SMTP (aiosmtpd), the worker with a fake clock."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ivr.messages.delivery import make_worker
from ivr.messages.monthly_reports import report_month
from ivr.settings import Settings
from ivr.store import call_import
from ivr.store.calls import LoggedCall
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.messages.documents import AFTER_CALL_DOCUMENT

pytest_plugins = ["tests.fakes.smtp"]

# 1 December 2026, 08:30 in Amsterdam: the report for December is due.
FIRST_OF_DECEMBER = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
WITH_REPORT = AFTER_CALL_DOCUMENT + "monthly_report: {email: [jan@jansen.example, kantoor@jansen.example]}\n"


@pytest.mark.parametrize(
    ("now", "month"),
    [
        (datetime(2026, 12, 1, 6, 59, tzinfo=UTC), "2026-11"),  # 07:59 in Amsterdam: not yet
        (datetime(2026, 12, 1, 7, 0, tzinfo=UTC), "2026-12"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "2026-12"),  # already the 1st, 00:30 there: still December's
    ],
)
def test_the_report_month_turns_at_eight_on_the_first_local_time(now: datetime, month: str) -> None:
    assert report_month("Europe/Amsterdam", now) == month


@pytest.fixture
def report_settings(settings: Settings, mail_server: MailServer, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={
            "smtp_url": mail_server.url,
            "mail_from": "Greetline <voicemail@greetline.test>",
            "voicemail_dir": tmp_path / "voicemail",
            "embedded_worker": False,
        }
    )


@pytest.fixture
def database(report_settings: Settings) -> Iterator[Database]:
    database = Database(report_settings.database_url)
    yield database
    database.dispose()


def test_the_report_is_sent_once_with_its_figures_and_charts(
    report_settings: Settings, database: Database, mail_server: MailServer
) -> None:
    business_id = apply_text(database, WITH_REPORT, FIRST_OF_DECEMBER).stored.id
    started = FIRST_OF_DECEMBER - timedelta(days=3)
    with database.engine.begin() as connection:
        call_import.import_calls(
            connection,
            [
                LoggedCall(
                    f"CA{n}",
                    business_id,
                    "+31201234567",
                    "+31612345678",
                    started + timedelta(minutes=n),
                    ["welcome", "operators:completed"],
                    "operator",
                    started + timedelta(minutes=n, seconds=50),
                    50,
                    end_reason="answered_staff",
                    person_s=float(10 * n),
                )
                for n in range(1, 5)
            ],
        )
    clock = FakeClock(FIRST_OF_DECEMBER)
    worker = make_worker(report_settings, database, clock)
    assert worker.run_schedules() == 2  # the month's report, the day's retention
    worker.run_due()
    mails = mail_server.inbox.wait_for(2)
    assert sorted(str(mail["To"]) for mail in mails) == ["jan@jansen.example", "kantoor@jansen.example"]
    mail = mails[0]
    subject = " ".join(str(mail["Subject"]).split())  # a long subject comes folded
    assert subject == "Cijfers van Loodgietersbedrijf Jansen: 04-11-2026 tot en met 01-12-2026"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Oproepen per dag: 4 in 28 dagen" in text
    # Waits of 10, 20, 30 and 40 s: three within 30 s.
    assert "Tijd tot een mens: 3 van 4 aangenomen oproepen binnen 30 s (75 %)" in text
    assert "Waarom oproepen eindigden: opgenomen door een medewerker 4" in text
    charts = [part for part in mail.iter_attachments() if part.get_content_type() == "image/svg+xml"]
    assert [part.get_filename() for part in charts] == [
        "calls-per-day.svg",
        "calls-per-hour.svg",
        "time-to-a-person.svg",
        "hang-ups.svg",
    ]
    assert all(b'role="img"' in part.get_content() for part in charts)
    # Once per month, whichever worker looks, and again in January.
    assert worker.run_schedules() == 0
    assert make_worker(report_settings, database, clock).run_schedules() == 0
    clock.now = datetime(2027, 1, 1, 7, 0, tzinfo=UTC)
    assert worker.run_schedules() == 2  # January's report, and that day's retention

"""The daily summary: days missed while the worker was down are sent once each when it returns, marked late; the
answering service's calls are counted apart from those staff took; `greetline summary` keeps the day's Message-ID.
Real SMTP (aiosmtpd), real SQLite or PostgreSQL, the worker run with an injected clock."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi import FastAPI

from ivr.cli.commands import send_summary
from ivr.cli.runtime import runtime
from ivr.jobs.worker import Worker
from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.messages.documents import AFTER_CALL_DOCUMENT, BUSINESS_NUMBER, call_sid
from tests.twilio_client import TwilioLikeClient, twilio_client

pytest_plugins = ["tests.fakes.smtp"]

# Tuesday 24 November 2026, 10:15 in Amsterdam (winter time, UTC+1); the summary is due at 17:30 there.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
SERVICE_NUMBER = "+31208888888"
WITH_SERVICE = AFTER_CALL_DOCUMENT.replace(
    'overflow: {voicemail: {email: [kantoor@jansen.example, jan@jansen.example], sms: ["+31687654321"]}}',
    f'overflow: {{dial: "{SERVICE_NUMBER}"}}',
)


@pytest.fixture
def summary_settings(settings: Settings, mail_server: MailServer, tmp_path: Path) -> Settings:
    # No Twilio account: nothing to reconcile or recover, so the summary and the retention are the only scheduled work.
    return settings.model_copy(
        update={
            "smtp_url": mail_server.url,
            "mail_from": "Greetline <voicemail@greetline.test>",
            "voicemail_dir": tmp_path / "voicemail",
            "embedded_worker": False,
        }
    )


@pytest.fixture
def database(summary_settings: Settings) -> Iterator[Database]:
    database = Database(summary_settings.database_url)
    yield database
    database.dispose()


def started_worker(settings: Settings, database: Database, clock: FakeClock) -> Worker:
    """A worker process as it starts: nothing in memory, everything it knows read from the database."""
    return make_worker(settings, database, clock)


def subjects(mails: list[EmailMessage]) -> list[str]:
    """As a mail program shows them: a long subject comes folded over two lines."""
    return [" ".join(str(mail["Subject"]).split()) for mail in mails]


def test_summaries_missed_while_the_worker_was_down_are_sent_once_each_marked_late(
    summary_settings: Settings, database: Database, mail_server: MailServer
) -> None:
    apply_text(database, AFTER_CALL_DOCUMENT, NOW)
    clock = FakeClock(datetime(2026, 11, 24, 16, 30, tzinfo=UTC))  # 17:30 in Amsterdam
    worker = started_worker(summary_settings, database, clock)
    assert worker.run_schedules() == 2  # the summary and the day's retention
    worker.run_due()
    # The worker is down on the 25th and the 26th and comes back on Friday the 27th at 09:00, before 17:30.
    clock.now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    returned = started_worker(summary_settings, database, clock)
    assert returned.run_schedules() == 3  # two summaries late and the day's retention
    returned.run_due()
    assert returned.run_schedules() == 0  # however often it looks, and whichever worker looks
    assert started_worker(summary_settings, database, clock).run_schedules() == 0
    clock.now = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    assert returned.run_schedules() == 1
    returned.run_due()
    mails = mail_server.inbox.wait_for(4)
    assert subjects(mails) == [
        "Oproepen voor Loodgietersbedrijf Jansen op 24-11-2026: 0",
        "Te laat verzonden: Oproepen voor Loodgietersbedrijf Jansen op 25-11-2026: 0",
        "Te laat verzonden: Oproepen voor Loodgietersbedrijf Jansen op 26-11-2026: 0",
        "Oproepen voor Loodgietersbedrijf Jansen op 27-11-2026: 0",
    ]
    late = mails[1].get_body(("plain",))
    assert late is not None
    assert (
        late.get_content()
        .replace("\r\n", "\n")
        .startswith("Deze samenvatting komt te laat: Greetline kon haar niet om 17:30 versturen.\n\nOproepen: 0 · ")
    )
    on_time = mails[0].get_body(("plain",))
    assert on_time is not None and "te laat" not in on_time.get_content()


def test_a_late_summary_is_worded_in_the_business_language_and_goes_back_a_few_days_at_most(
    summary_settings: Settings, database: Database, mail_server: MailServer
) -> None:
    apply_text(database, AFTER_CALL_DOCUMENT.replace("language: nl", "language: de"), NOW)
    clock = FakeClock(datetime(2026, 11, 24, 16, 30, tzinfo=UTC))
    started_worker(summary_settings, database, clock).run_schedules()
    # Down for ten days: only the last three days before today are sent late, then today's on time.
    clock.now = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
    returned = started_worker(summary_settings, database, clock)
    assert returned.run_schedules() == 5  # four summaries and the day's retention
    returned.run_due()
    mails = mail_server.inbox.wait_for(5)
    assert sorted(subjects(mails)) == [
        "Anrufe für Loodgietersbedrijf Jansen am 01.12.2026: 0 (verspätet gesendet)",
        "Anrufe für Loodgietersbedrijf Jansen am 02.12.2026: 0 (verspätet gesendet)",
        "Anrufe für Loodgietersbedrijf Jansen am 03.12.2026: 0 (verspätet gesendet)",
        "Anrufe für Loodgietersbedrijf Jansen am 04.12.2026: 0",
        "Anrufe für Loodgietersbedrijf Jansen am 24.11.2026: 0",
    ]


def test_a_business_whose_first_summary_is_today_gets_no_late_ones(
    summary_settings: Settings, database: Database, mail_server: MailServer
) -> None:
    # Nothing stored says a summary was ever due before: the days before it was set up were not missed.
    apply_text(database, AFTER_CALL_DOCUMENT, NOW)
    clock = FakeClock(datetime(2026, 11, 24, 16, 30, tzinfo=UTC))
    assert started_worker(summary_settings, database, clock).run_schedules() == 2  # and the day's retention


@pytest.fixture
def app(summary_settings: Settings, database: Database) -> FastAPI:
    apply_text(database, WITH_SERVICE, NOW)
    return create_app(summary_settings, clock=lambda: NOW, database=database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(app) as client:
        yield client


def staff_take(client: TwilioLikeClient, caller: str) -> None:
    call = {"CallSid": call_sid(), "From": caller, "To": BUSINESS_NUMBER}
    client.post("/twilio/voice", call)
    client.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "completed"})


def service_takes(client: TwilioLikeClient, caller: str) -> None:
    call = {"CallSid": call_sid(), "From": caller, "To": BUSINESS_NUMBER}
    client.post("/twilio/voice", call)
    client.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "no-answer"})
    leg = {"CallSid": call_sid(), "ParentCallSid": call["CallSid"], "To": SERVICE_NUMBER}
    client.post("/twilio/whisper?business=1&via=direct", leg)
    client.post("/twilio/dial-ended?stage=overflow", {**call, "DialCallStatus": "completed"})


def test_the_summary_counts_the_answering_services_calls_apart_from_staffs_and_keeps_its_message_id(
    app: FastAPI, client: TwilioLikeClient, summary_settings: Settings, mail_server: MailServer
) -> None:
    staff_take(client, "+31611112222")
    service_takes(client, "+31633334444")
    service_takes(client, "+31655556666")
    app.state.services.call_log.flush()
    with runtime(summary_settings) as opened:
        for _ in range(2):  # asked for twice: the same e-mail, folded by mail programs
            send_summary(opened, BUSINESS_NUMBER, date(2026, 11, 24))
    mails = mail_server.inbox.wait_for(2)
    body = mails[0].get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert text.startswith(
        "Oproepen: 3 · Aangenomen door medewerkers: 1 · Aangenomen door de antwoorddienst: 2 · Voicemail: 0 · "
        "Gemist: 0\n"
    )
    staff_line = next(line for line in text.splitlines() if "06 11 11 22 22" in line)
    assert staff_line.endswith(" · aangenomen")
    assert "10:15 · 06 33 33 44 44 · na 4 keer overgaan · aangenomen door de antwoorddienst" in text
    ids = [str(mail["Message-ID"]).strip() for mail in mails]
    assert ids[0] == ids[1] and ids[0].startswith("<summary.2026-11-24.")

"""`greetline call` as a user runs it against a configured database: a real process, real SMTP (aiosmtpd), Twilio's
REST API faked on 127.0.0.1, and a real `greetline serve` beside it. A simulated call never reaches a real person."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ivr.messages.delivery import make_worker
from ivr.messages.notes import DAILY_SUMMARY_EMAIL, Notes
from ivr.messages.senders import senders
from ivr.messages.summary_days import DAILY_SUMMARY
from ivr.settings import Settings
from ivr.store import calls, jobs
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.store.tables import CallRow, JobRow, RecordingRow
from ivr.usecases.documents import apply_text
from tests.conftest import DEMO_DOCUMENT
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.local_server import server_process
from tests.test_serve_process import environment

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

GREETLINE = [sys.executable, "-m", "ivr"]
COMMAND_TIMEOUT_S = 60
NUMBER = "+31501234567"
# The demo practice is closed at 22:00: the caller hears the closed greeting and leaves a message for
# praktijk@example.nl and +31687654321 (examples/huisartsenpraktijk-de-linde.yaml).
CLOSED_AT = "2026-11-24 22:00"
CLOSED_AT_UTC = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def yesterday_at(hour: int, minute: int = 0) -> datetime:
    """A moment of yesterday at the practice, for calls beside a served process. That process's worker runs on the
    real clock and its daily retention run deletes calls logged more than 400 days before today (the call log's
    default), so a fixed date would lose its calls once that much time has passed; yesterday never does."""
    day = datetime.now(AMSTERDAM).date() - timedelta(days=1)
    return datetime.combine(day, datetime.min.time().replace(hour=hour, minute=minute), AMSTERDAM)


def at_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def configured(settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path) -> Settings:
    """The demo in a database, with real SMTP and a Twilio account configured, as in production."""
    upgrade(settings.database_url)
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, DEMO_DOCUMENT.read_text("utf-8"), datetime.now(UTC))
    database.dispose()
    return settings.model_copy(
        update={
            "smtp_url": mail_server.url,
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_api_url": twilio_api.base_url,
            "voicemail_dir": tmp_path / "voicemail",
        }
    )


def command_environment(settings: Settings) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GREETLINE_")}
    return {
        **clean,
        **environment(settings),
        "GREETLINE_SMTP_URL": settings.smtp_url or "",
        "GREETLINE_TWILIO_ACCOUNT_SID": settings.twilio_account_sid or "",
        "GREETLINE_TWILIO_AUTH_TOKEN": settings.twilio_auth_token or "",
        "GREETLINE_TWILIO_API_URL": settings.twilio_api_url,
        "GREETLINE_VOICEMAIL_DIR": str(settings.voicemail_dir),
        "GREETLINE_TTS_ENGINES": '["espeak"]',  # Google's endpoint is outside 127.0.0.1
    }


def greetline(settings: Settings, *args: str) -> str:
    result = subprocess.run(
        [*GREETLINE, *args],
        env=command_environment(settings),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def greetline_call(settings: Settings, *args: str) -> str:
    return greetline(settings, "call", "--to", NUMBER, *args)


@pytest.fixture
def database(configured: Settings) -> Iterator[Database]:
    database = Database(configured.database_url)
    yield database
    database.dispose()


def logged(database: Database) -> list[CallRow]:
    with database.transaction() as session:
        rows = list(session.scalars(select(CallRow)))
        session.expunge_all()
    return rows


def test_a_simulated_voicemail_is_printed_and_reaches_nobody(
    configured: Settings, database: Database, mail_server: MailServer, twilio_api: FakeTwilio
) -> None:
    printed = greetline_call(configured, "--at", CLOSED_AT)
    assert "voicemail: the caller leaves a message" in printed
    assert "To: praktijk@example.nl" in printed and "To: +31687654321" in printed
    assert "simulated call; not sent" in printed
    # Whatever a worker finds to do after the call (the missed-call delay included), it delivers nothing.
    later = datetime.now(UTC) + timedelta(minutes=5)
    worker = make_worker(configured, database, lambda: later, senders(configured))
    worker.run_due()
    assert mail_server.inbox.messages == [] and twilio_api.texts == []
    with database.transaction() as session:
        assert session.scalars(select(RecordingRow)).all() == []
        assert session.scalars(select(JobRow)).all() == []


def test_a_simulated_missed_call_prints_its_note_and_queues_nothing(
    configured: Settings, database: Database, mail_server: MailServer
) -> None:
    printed = greetline_call(
        configured, "--at", "2026-11-24 10:15", "--press", "1", "--operators", "never", "--service", "never"
    )
    assert "--- e-mail (simulated call; not sent) ---\nFrom: Greetline" in printed
    assert "Subject: Gemiste oproep voor Huisartsenpraktijk De Linde van 06 12 34 56 78" in printed
    later = datetime.now(UTC) + timedelta(minutes=5)
    make_worker(configured, database, lambda: later, senders(configured)).run_due()
    assert mail_server.inbox.messages == []
    with database.transaction() as session:
        assert session.scalars(select(JobRow)).all() == []


def test_a_simulated_call_is_logged_marked_and_left_out_of_the_summary(
    configured: Settings, database: Database
) -> None:
    greetline_call(configured, "--at", "2026-11-24 10:15", "--operators", "answer-after:8")
    [call] = logged(database)
    assert call.simulated is True and call.ended_at is not None and call.outcome == "operator"
    with database.transaction() as session:
        assert [c.call_sid for c in calls.recent(session.connection(), call.business_id or 0, with_simulated=True)] == [
            call.call_sid
        ]
        assert calls.recent(session.connection(), call.business_id or 0) == []
    notes = Notes(database, senders(configured), public_url=configured.public_url, domain="x.test", clock=datetime.now)
    assert notes.summary_facts(call.business_id or 0, date(2026, 11, 24)).calls == ()


def test_at_is_stored_as_the_utc_instant(configured: Settings, database: Database) -> None:
    greetline_call(configured, "--at", CLOSED_AT)
    # A time alone is on the command's own today (the machine's date): the day before and after the command, which
    # differ only when it ran across midnight.
    before = date.today()
    greetline_call(configured, "--at", "22:00")
    after = date.today()
    first, second = sorted(logged(database), key=lambda row: row.started_at)
    assert jobs.utc(first.started_at) == CLOSED_AT_UTC
    at_ten = {datetime.combine(day, datetime.min.time().replace(hour=22), AMSTERDAM) for day in (before, after)}
    assert jobs.utc(second.started_at) in {moment.astimezone(UTC) for moment in at_ten}


def test_url_shows_the_words_of_recordings_and_the_server_marks_the_call(
    configured: Settings, database: Database
) -> None:
    greetline(configured, "render", NUMBER)
    closed = yesterday_at(22)  # closed every day: the closed greeting, or the stand-in of a period
    in_process = greetline_call(configured, "--at", at_text(closed))
    with server_process(command_environment(configured)) as server:
        over_http = greetline_call(configured, "--url", server.base_url, "--at", at_text(closed))
    heard = [line.split("s  ", 1)[1] for line in in_process.splitlines() if "hears recording" in line]
    assert heard and all('"' in line and "/media/" not in line for line in heard)
    assert [line.split("s  ", 1)[1] for line in over_http.splitlines() if "hears recording" in line] == heard
    # The server took the voicemail as a simulation too: marked, at the UTC instant, nothing stored or queued (its
    # worker's own schedules, the reconciliation and the summaries, may have queued theirs).
    assert [(row.simulated, jobs.utc(row.started_at)) for row in logged(database)] == [
        (True, closed.astimezone(UTC))
    ] * 2
    with database.transaction() as session:
        assert session.scalars(select(RecordingRow)).all() == []
        # After 17:30 in Amsterdam the summary has also been written out as its e-mails.
        scheduled = {"reconcile", DAILY_SUMMARY, DAILY_SUMMARY_EMAIL, "recover-calls", "retention"}
        assert set(session.scalars(select(JobRow.kind))) <= scheduled


# Simulated calls run one after another beside a serving process, as `make run` and a second terminal do.
CALLS_BESIDE_SERVE = 6


def test_calls_beside_a_running_server_are_all_logged_and_ended(configured: Settings, database: Database) -> None:
    with server_process(command_environment(configured)):
        for index in range(CALLS_BESIDE_SERVE):
            # On a closed day (a weekend, a holiday) the key is not asked for: the call ends all the same.
            at = at_text(yesterday_at(10 + index, 15))
            greetline_call(configured, "--at", at, "--operators", "never", "--press", "1")
    rows = logged(database)
    assert len(rows) == CALLS_BESIDE_SERVE
    assert [row for row in rows if row.ended_at is None or not row.simulated or row.outcome is None] == []

"""No call lost from the log: a call whose log row was lost (its steps held in memory by a server that was killed)
reappears from Twilio's Calls list, marked as recovered, and gets its missed-call note; a call the log has, one
still going, one just ended and one to a number not ours are left alone. Twilio's REST API stood in on 127.0.0.1,
real SMTP, SQLite and PostgreSQL, an injected clock."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ivr.messages.call_recovery import SETTLED_AFTER, calls_to_recover
from ivr.messages.delivery import make_worker
from ivr.messages.notes import Notes
from ivr.messages.senders import senders
from ivr.messages.twilio_calls import ListedCall
from ivr.settings import Settings
from ivr.store import calls
from ivr.store.database import Database
from ivr.store.tables import CallRow
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, StoredCall
from tests.messages.documents import BUSINESS_NUMBER, apply_after_call_document, call_sid

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
CALLER = "+31611112222"


def _listed(sid: str, *, ended_ago_s: float | None = 600, to: str = BUSINESS_NUMBER, **more: object) -> ListedCall:
    ended = NOW - timedelta(seconds=ended_ago_s) if ended_ago_s is not None else None
    fields: dict[str, object] = {
        "call_sid": sid,
        "parent_call_sid": None,
        "from_number": CALLER,
        "to_number": to,
        "status": "completed" if ended else "in-progress",
        "started_at": NOW - timedelta(minutes=20),
        "ended_at": ended,
        "duration_s": 45 if ended else None,
    }
    return ListedCall(**{**fields, **more})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("listed", "recovered"),
    [
        ([_listed("CA1")], {"CA1": "missed"}),
        ([_listed("CA1", status="no-answer")], {"CA1": "missed"}),  # the caller hung up before we answered
        ([_listed("CAlogged")], {}),
        ([_listed("CA1", ended_ago_s=None)], {}),  # still going: its own webhooks log it
        ([_listed("CA1", ended_ago_s=SETTLED_AFTER.total_seconds() - 1)], {}),  # its steps may be on their way
        ([_listed("CA1", to="+31209999999")], {}),  # not a number of ours
        # A staff phone took it: a human answered, so no missed-call note.
        ([_listed("CA1"), _listed("CA2", parent_call_sid="CA1", to="+31612345678")], {"CA1": "operator"}),
        ([_listed("CA1"), _listed("CA2", parent_call_sid="CA1", status="no-answer")], {"CA1": "missed"}),
    ],
)
def test_which_calls_are_recovered(listed: list[ListedCall], recovered: dict[str, str | None]) -> None:
    found = calls_to_recover(listed, {"CAlogged"}, {BUSINESS_NUMBER: 7}, NOW)
    assert {call.call_sid: call.outcome for call in found} == recovered
    assert all(call.business_id == 7 for call in found)


@pytest.fixture
def settings_with_twilio(
    settings: Settings, database_url: str, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Settings:
    return settings.model_copy(
        update={
            "database_url": database_url,
            "smtp_url": mail_server.url,
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_api_url": twilio_api.base_url,
            "voicemail_dir": tmp_path / "voicemail",
            "embedded_worker": False,
        }
    )


def test_a_call_whose_log_row_was_lost_reappears_and_gets_its_missed_call_note(
    database: Database, settings_with_twilio: Settings, mail_server: MailServer, twilio_api: FakeTwilio
) -> None:
    business = apply_after_call_document(database, NOW - timedelta(days=1))
    lost, kept = call_sid(), call_sid()
    start = NOW - timedelta(minutes=20)
    for sid in (lost, kept):
        twilio_api.add_call(
            StoredCall(sid, CALLER, BUSINESS_NUMBER, "completed", start, start + timedelta(seconds=45), 45)
        )
    with database.transaction() as session:  # the one the log kept; the other's steps died with its server
        session.add(
            CallRow(
                call_sid=kept,
                business_id=business,
                to_number=BUSINESS_NUMBER,
                from_number=CALLER,
                started_at=start,
                path=["welcome", "operators:completed"],
                outcome="operator",
            )
        )
    clock = FakeClock(NOW)
    worker = make_worker(settings_with_twilio, database, clock)
    worker.run_schedules()
    worker.run_due()
    with database.transaction() as session:
        rows = {row.call_sid: row for row in session.scalars(select(CallRow))}
        recovered = rows[lost]
        assert (recovered.business_id, recovered.from_number, recovered.recovered) == (business, CALLER, True)
        assert (recovered.started_at, recovered.duration_s, recovered.path) == (start, 45, [])
        assert rows[kept].recovered is False and len(rows) == 2
    clock.advance(120)  # the missed-call check waits for a recording that might still come
    worker.run_due()
    [note] = mail_server.inbox.wait_for(1)
    assert note["To"] == "kantoor@jansen.example" and "06 11 11 22 22" in note["Subject"]
    # The daily summary counts it, and the call log marks it.
    notes = Notes(database, senders(settings_with_twilio), public_url="http://x.test", domain="x.test", clock=clock)
    summary = notes.summary_facts(business, date(2026, 11, 24))
    assert [call.caller for call in summary.calls] == [CALLER, CALLER]
    with database.reading() as connection:
        assert {c.call_sid: c.recovered for c in calls.recent(connection, business)} == {lost: True, kept: False}
    clock.advance(300)  # the next look finds nothing new
    worker.run_schedules()
    worker.run_due()
    with database.transaction() as session:
        assert len(list(session.scalars(select(CallRow.call_sid)))) == 2
    assert len(mail_server.inbox.messages) == 1

"""The store against real SQLite and PostgreSQL, each test on a fresh, migrated database."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect

from ivr.applying import apply_text, export_document
from ivr.document.load import parse_document
from ivr.errors import ConflictError, DocumentError, NotFoundError
from ivr.store import businesses, calls
from ivr.store.calls import CallEnd, CallEntry, CallStep, LoggedCall
from ivr.store.database import Database

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OTHER = 'business: Jansen\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\n'


def test_migrations_create_every_table(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert {"businesses", "business_numbers", "calls", "recordings", "alembic_version"} <= tables


def test_apply_then_find_by_number_and_export(database: Database, demo_text: str) -> None:
    stored = apply_text(database, demo_text, NOW).stored
    with database.transaction() as session:
        found = businesses.find_by_number(session, "+31501234567")
    assert found is not None and (found.id, found.revision) == (stored.id, 1)
    assert parse_document(export_document(database, "+31 50 123 4567")) == parse_document(demo_text)


def test_reapplying_replaces_and_bumps_the_revision(database: Database, demo_text: str) -> None:
    first = apply_text(database, demo_text, NOW).stored
    second = apply_text(database, demo_text.replace("rings: 4", "rings: 3"), NOW).stored
    assert (second.id, second.revision, second.document["rings"]) == (first.id, 2, 3)


def test_a_refused_document_changes_nothing(database: Database, demo_text: str) -> None:
    apply_text(database, demo_text, NOW)
    with pytest.raises(DocumentError):
        apply_text(database, demo_text.replace("rings: 4", "rings: 40"), NOW)
    with database.transaction() as session:
        found = businesses.find_by_number(session, "+31501234567")
    assert found is not None and (found.revision, found.document["rings"]) == (1, 4)


def test_numbers_of_two_businesses_in_one_document_are_refused_whole(database: Database, demo_text: str) -> None:
    apply_text(database, demo_text, NOW)
    apply_text(database, OTHER, NOW)
    both = OTHER.replace('["+31201234567"]', '["+31201234567", "+31501234567"]')
    with pytest.raises(ConflictError, match=r"\+31501234567 \(business 1\)"):
        apply_text(database, both, NOW)
    with database.transaction() as session:
        assert businesses.owners_of(session, ["+31201234567", "+31501234567"]) == {"+31201234567": 2, "+31501234567": 1}


def test_export_of_an_unknown_number_says_what_to_do(database: Database) -> None:
    with pytest.raises(NotFoundError, match="apply a document"):
        export_document(database, "+31201234567")


def step(path: str, outcome: str | None = None, sid: str = "CA1") -> CallStep:
    return CallStep(sid, 1, "+31501234567", "+31612345678", NOW, path, outcome)


def logged(database: Database, entries: list[CallEntry], sid: str = "CA1") -> LoggedCall | None:
    with database.engine.begin() as connection:
        calls.write_entries(connection, entries)
    with database.transaction() as session:
        return calls.get(session, sid)


def test_call_log_appends_steps_once_and_keeps_the_outcome(database: Database) -> None:
    logged(database, [step("welcome")])
    logged(database, [step("operators:no-answer>overflow:dial"), step("operators:no-answer>overflow:dial")])
    call = logged(database, [step("overflow:completed", "overflow"), CallEnd("CA1", NOW, 75, "hung up")])
    assert call is not None
    assert call.path == ["welcome", "operators:no-answer>overflow:dial", "overflow:completed"]
    assert (call.outcome, call.duration_s, call.started_at.replace(tzinfo=UTC)) == ("overflow", 75, NOW)


def test_a_whole_call_in_one_batch(database: Database) -> None:
    call = logged(
        database,
        [
            step("welcome"),
            step("menu:2"),
            step("voicemail:recorded", "voicemail"),
            CallEnd("CA1", NOW, 30, "hung up"),
            step("welcome", sid="CA2"),
        ],
    )
    assert call is not None and (call.path, call.outcome) == (["welcome", "menu:2", "voicemail:recorded"], "voicemail")
    other = logged(database, [], sid="CA2")
    assert other is not None and other.path == ["welcome"] and other.outcome is None


def test_a_call_without_outcome_was_hung_up(database: Database) -> None:
    call = logged(database, [step("welcome"), CallEnd("CA1", NOW, 4, "hung up")])
    assert call is not None and call.outcome == "hung up"


def test_an_end_for_an_unknown_call_is_ignored(database: Database) -> None:
    assert logged(database, [CallEnd("CA404", NOW, 4, "hung up")], sid="CA404") is None


def test_recording_callbacks_are_stored_once(database: Database) -> None:
    recording = {
        "recording_sid": "RE1",
        "call_sid": "CA1",
        "business_id": 1,
        "url": "https://api.twilio.com/RE1",
        "duration_s": 12,
        "status": "completed",
        "now": NOW,
    }
    with database.transaction() as session:
        assert calls.save_recording(session, **recording) is True
    with database.transaction() as session:
        assert calls.save_recording(session, **recording) is False

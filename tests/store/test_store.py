"""The store against real SQLite and PostgreSQL, each test on a fresh, migrated database."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect

from ivr.applying import apply_text, export_document
from ivr.document.load import parse_document
from ivr.errors import ConflictError, DocumentError, NotFoundError
from ivr.store import businesses, calls
from ivr.store.database import Database

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OTHER = 'business: Jansen\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\n'


def test_migrations_create_every_table(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert {"businesses", "business_numbers", "calls", "recordings", "alembic_version"} <= tables


def test_apply_then_find_by_number_and_export(database: Database, demo_text: str) -> None:
    stored = apply_text(database, demo_text, NOW)
    with database.transaction() as session:
        found = businesses.find_by_number(session, "+31501234567")
    assert found is not None and (found.id, found.revision) == (stored.id, 1)
    assert parse_document(export_document(database, "+31 50 123 4567")) == parse_document(demo_text)


def test_reapplying_replaces_and_bumps_the_revision(database: Database, demo_text: str) -> None:
    first = apply_text(database, demo_text, NOW)
    second = apply_text(database, demo_text.replace("rings: 4", "rings: 3"), NOW)
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


def test_call_log_appends_steps_once_and_keeps_the_outcome(database: Database) -> None:
    common = {"call_sid": "CA1", "business_id": 1, "to_number": "+31501234567", "from_number": "+31612345678"}
    with database.transaction() as session:
        calls.log_step(session, **common, now=NOW, path="welcome", outcome=None)
    with database.transaction() as session:
        calls.log_step(session, **common, now=NOW, path="operators:no-answer>overflow:dial", outcome=None)
        calls.log_step(session, **common, now=NOW, path="operators:no-answer>overflow:dial", outcome=None)
    with database.transaction() as session:
        calls.log_step(session, **common, now=NOW, path="overflow:completed", outcome="overflow")
        calls.finish(session, call_sid="CA1", now=NOW, duration_s=75, hung_up="hung up")
    with database.transaction() as session:
        logged = calls.get(session, "CA1")
    assert logged is not None
    assert logged.path == ["welcome", "operators:no-answer>overflow:dial", "overflow:completed"]
    assert (logged.outcome, logged.duration_s) == ("overflow", 75)


def test_a_call_without_outcome_was_hung_up(database: Database) -> None:
    with database.transaction() as session:
        calls.log_step(
            session,
            call_sid="CA2",
            business_id=1,
            to_number="+3150",
            from_number="+3161",
            now=NOW,
            path="welcome",
            outcome=None,
        )
        calls.finish(session, call_sid="CA2", now=NOW, duration_s=4, hung_up="hung up")
    with database.transaction() as session:
        logged = calls.get(session, "CA2")
    assert logged is not None and logged.outcome == "hung up"


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

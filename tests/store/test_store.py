"""The store against real SQLite and PostgreSQL, each test on a fresh, migrated database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from ivr.callflow.timeline import Stage
from ivr.document.load import document_data, parse_document
from ivr.errors import ConflictError, DocumentError, NotFoundError
from ivr.store import businesses, call_import, calls, recordings
from ivr.store.businesses import NewBusiness
from ivr.store.calls import CallEnd, CallEntry, CallStep, LoggedCall
from ivr.store.database import Database
from ivr.usecases.documents import apply_text, export_document

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


def test_a_call_keeps_the_rings_it_rang_with_and_the_box_it_ended_in(database: Database) -> None:
    first = [
        step("welcome"),
        replace(step("operators:0:no-answer"), rings=4),
        replace(step("operators:no-answer>overflow:voicemail"), box="overflow"),
    ]
    found = logged(database, first)
    assert found is not None and (found.rings, found.box) == (4, "overflow")
    # A later step (a retried dial with another count, the recorded message) changes neither.
    found = logged(database, [replace(step("operators:1:no-answer"), rings=3), step("voicemail:recorded")])
    assert found is not None and (found.rings, found.box) == (4, "overflow")
    with database.reading() as connection:
        listed = calls.recent(connection, 1)
    assert [(c.rings, c.box) for c in listed] == [(4, "overflow")]


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
        "received_at": NOW,
    }
    with database.transaction() as session:
        assert recordings.save_recording(session, **recording) is True
    with database.transaction() as session:
        assert recordings.save_recording(session, **recording) is False


def test_bulk_stored_businesses_and_imported_calls_read_back_like_single_ones(
    database: Database, demo_text: str
) -> None:
    template = document_data(parse_document(demo_text))
    numbers = [f"+3150123456{index}" for index in range(3)]
    new = [NewBusiness(f"B{n}", [n], {**template, "business": f"B{n}", "numbers": [n]}) for n in numbers]
    with database.transaction() as session:
        ids = businesses.insert_many(session, new, NOW)
    with database.transaction() as session:
        found = businesses.find_by_number(session, numbers[2])
        assert found is not None and (found.id, found.revision, found.document["business"]) == (
            ids[2],
            1,
            "B" + numbers[2],
        )
        assert businesses.revisions(session.connection()) == {id_: 1 for id_ in ids}
        assert sorted(stored.id for stored in businesses.documents_of(session.connection(), ids[1:])) == ids[1:]
    imported = [
        LoggedCall(f"CA{n}", ids[0], numbers[0], "+31612345678", NOW + timedelta(minutes=n), path, outcome, end, 40)
        for n, (path, outcome, end) in enumerate(
            [(["voice", "operator"], "operator", NOW + timedelta(minutes=1)), (["voice"], None, None)]
        )
    ]
    earlier = NOW - timedelta(minutes=1)
    with database.engine.begin() as connection:
        assert call_import.import_calls(connection, imported) == 2
        calls.write_entries(connection, [CallStep("CA9", ids[0], numbers[0], "+31612345678", earlier, "voice", None)])
    with database.transaction() as session:
        newest = calls.recent(session.connection(), ids[0])
    assert [call.call_sid for call in newest] == ["CA1", "CA0", "CA9"]
    # Every field as imported; times in the form the writer's own rows take (SQLite keeps them without a zone).
    assert [replace(call, started_at=utc(call.started_at), ended_at=call.ended_at and utc(call.ended_at))
            for call in newest[:2]] == imported[::-1]  # fmt: skip
    assert (newest[0].started_at.tzinfo is None) == (newest[2].started_at.tzinfo is None)


def test_a_bulk_imported_call_keeps_its_stage_marks_and_is_placed_by_them(database: Database, demo_text: str) -> None:
    business = apply_text(database, demo_text, NOW).stored
    marks = ((Stage.WELCOME, 0.0), (Stage.INFORMATION, 4.0), (Stage.RINGING, 10.0))
    going_on = LoggedCall("CA1", business.id, "+31501234567", "+31612345678", NOW, ["welcome"], None, None, None)
    with database.engine.begin() as connection:
        call_import.import_calls(connection, [replace(going_on, marks=marks)])
        # The caller hangs up 6 s in: within the information, as only the marks can tell.
        calls.write_entries(connection, [CallEnd("CA1", NOW + timedelta(seconds=6), 6, "hung up")])
    with database.transaction() as session:
        logged = calls.get(session, "CA1")
    assert logged is not None and logged.marks == marks
    assert logged.end_reason == "hung_up_information"


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

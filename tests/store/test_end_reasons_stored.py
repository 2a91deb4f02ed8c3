"""The end reason, stage marks and time to a person as the call log stores them, and the migration that filled in
the calls logged before (both databases)."""

import json
from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import Connection, text

from ivr.callflow.timeline import Stage
from ivr.store import calls
from ivr.store.calls import CallEnd, CallStep, LoggedCall
from ivr.store.database import Database
from ivr.store.migrate import alembic_config

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OPENING = ((Stage.WELCOME, 0.0), (Stage.INFORMATION, 4.0), (Stage.RINGING, 10.0))


def step(sid: str, at_s: float, path: str, outcome: str | None = None, **extra: object) -> CallStep:
    at = START + timedelta(seconds=at_s)
    return CallStep(sid, 1, "+31501234567", "+31612345678", at, path, outcome, **extra)  # type: ignore[arg-type]


def logged_call(connection: Connection, sid: str) -> LoggedCall:
    return next(c for c in calls.recent(connection, 1, with_simulated=True) if c.call_sid == sid)


def test_a_call_answered_by_staff_keeps_its_wait_for_a_person(database: Database) -> None:
    answered_at = START + timedelta(seconds=22)
    with database.engine.begin() as connection:
        calls.write_entries(connection, [step("CA1", 0, "welcome", marks=OPENING)])
        calls.write_entries(
            connection,
            [
                step("CA1", 82, "operators:completed", "operator", answered_at=answered_at),
                CallEnd("CA1", START + timedelta(seconds=83), 83, "hung up"),
            ],
        )
        logged = logged_call(connection, "CA1")
    assert logged.end_reason == "answered_staff"
    assert logged.person_s == 12.0  # rang from 10 s, answered at 22 s


def test_a_caller_who_hangs_up_is_placed_by_the_marks(database: Database) -> None:
    with database.engine.begin() as connection:
        calls.write_entries(connection, [step("CA2", 0, "welcome", marks=OPENING)])
        calls.write_entries(connection, [CallEnd("CA2", START + timedelta(seconds=6), 6, "hung up")])
        calls.write_entries(connection, [step("CA3", 0, "welcome+menu", marks=OPENING)])
        # A menu choice 30 s in starts a new ringing: its marks are moved to the call's own seconds.
        calls.write_entries(connection, [step("CA3", 30, "menu:2", marks=((Stage.RINGING, 0.0),))])
        calls.write_entries(connection, [CallEnd("CA3", START + timedelta(seconds=33), 33, "hung up")])
        two, three = logged_call(connection, "CA2"), logged_call(connection, "CA3")
        marks = connection.execute(text("SELECT marks FROM calls WHERE call_sid = 'CA3'")).scalar_one()
    assert two.end_reason == "hung_up_information"
    assert three.end_reason == "hung_up_ringing"
    assert three.person_s is None
    marks = marks if isinstance(marks, list) else json.loads(marks)
    assert marks == [["welcome", 0.0], ["information", 4.0], ["ringing", 10.0]]


def test_the_calls_page_filters_by_caller_and_reason(database: Database) -> None:
    with database.engine.begin() as connection:
        calls.write_entries(
            connection,
            [
                step("CA4", 0, "closed:hours", "closed"),
                CallStep("CA5", 1, "+31501234567", "+31201112222", START, "welcome", None),
                CallEnd("CA5", START + timedelta(seconds=2), 2, "hung up"),
            ],
        )
        by_caller = calls.recent(connection, 1, caller="612345")
        by_reason = calls.recent(connection, 1, reason="hung_up_welcome")
    assert [c.call_sid for c in by_caller] == ["CA4"]
    assert [c.call_sid for c in by_reason] == ["CA5"]


# A call as logged before revision 0035: its id, path (JSON), outcome, duration and whether it was a test call.
OlderCall = tuple[str, str, str | None, int, bool]


def migrated(
    database_url: str, older: list[OlderCall], document: str = "{}"
) -> tuple[dict[str, tuple[str | None, bool]], dict[tuple[str, str], int]]:
    """The calls logged at revision 0018 (for business 1, with this document), migrated to the head: each call's end
    reason and emergency mark, and the statistics' counters."""
    config = alembic_config(database_url)
    command.upgrade(config, "0018")
    database = Database(database_url)
    try:
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO businesses (id, name, document, revision, created_at, updated_at)"
                    " VALUES (1, 'Jansen', :document, 1, :at, :at)"
                ),
                {"document": document, "at": START},
            )
            connection.execute(
                text(
                    "INSERT INTO calls (call_sid, business_id, to_number, from_number, started_at, path, outcome,"
                    " duration_s, simulated) VALUES (:sid, 1, '+31501234567', '+31612345678', :at, :path, :outcome,"
                    " :duration_s, :simulated)"
                ),
                [
                    {"sid": sid, "at": START, "path": path, "outcome": outcome, "duration_s": s, "simulated": test}
                    for sid, path, outcome, s, test in older
                ],
            )
        command.upgrade(config, "head")
        with database.engine.connect() as connection:
            rows = connection.execute(text("SELECT call_sid, end_reason, urgent FROM calls")).all()
            return {sid: (reason, bool(urgent)) for sid, reason, urgent in rows}, counters(connection)
    finally:
        database.dispose()


def test_the_migration_gives_older_calls_their_reason(database_url: str) -> None:
    found, counted = migrated(
        database_url,
        [
            ("OLD1", '["welcome", "operators:completed"]', "operator", 20, False),
            ("OLD2", '["closed:holiday:Kerstmis"]', "closed", 20, False),
            ("OLD3", '["welcome"]', None, 20, False),
        ],
    )
    assert found == {"OLD1": ("answered_staff", False), "OLD2": ("holiday", False), "OLD3": (None, False)}
    assert counted == {("reason", "answered_staff"): 1, ("reason", "holiday"): 1, ("reason", ""): 1}


def test_the_migration_places_hang_ups_and_emergency_options_by_the_path(database_url: str) -> None:
    menu = '{"menu": [{"key": 1, "prompt": "a"}, {"key": 2, "prompt": "b", "emergency": true}]}'
    older: list[OlderCall] = [
        ("H1", '["welcome+menu"]', "hung up", 7, False),
        ("H2", '["welcome+menu", "menu:wrong:9"]', "hung up", 70, False),
        ("H3", '["welcome", "operators:busy>overflow:none", "voicemail:overflow"]', "hung up", 30, False),
        ("U1", '["welcome+menu", "menu:2", "option:completed"]', "operator", 20, False),
        ("U2", '["closed:hours", "emergency:1", "emergency:no-answer"]', "missed", 40, False),
        ("S1", '["welcome+menu", "menu:2"]', "hung up", 9, True),
    ]
    found, counted = migrated(database_url, older, menu)
    assert found == {
        "H1": ("hung_up_welcome", False),
        "H2": ("hung_up_menu", False),
        "H3": ("busy", False),
        "U1": ("answered_staff", True),
        "U2": ("closed_no_message", True),
        "S1": ("simulated", True),
    }
    assert counted == {
        ("reason", "hung_up_welcome"): 1,
        ("reason", "hung_up_menu"): 1,
        ("reason", "busy"): 1,
        ("reason", "answered_staff"): 1,
        ("reason", "closed_no_message"): 1,
        ("hangup", "hung_up_welcome"): 1,
        ("hangup", "hung_up_menu"): 1,
        ("hangup_s", "5"): 1,
        ("hangup_s", "60"): 1,
        ("urgent", "all"): 2,
    }


def counters(connection: Connection) -> dict[tuple[str, str], int]:
    rows = connection.execute(text("SELECT kind, label, calls FROM call_figures WHERE calls != 0")).all()
    return {(kind, label): calls for kind, label, calls in rows}


def test_the_statistics_counters_follow_each_call_as_it_changes(database: Database) -> None:
    with database.engine.begin() as connection:
        calls.write_entries(connection, [step("CA6", 0, "welcome+menu", marks=OPENING)])
        assert counters(connection) == {("reason", ""): 1}  # going on
        calls.write_entries(
            connection,
            [
                step("CA6", 5, "menu:1", urgent=True, marks=((Stage.RINGING, 0.0),)),
                step("CA6", 80, "option:completed", "operator", answered_at=START + timedelta(seconds=17)),
            ],
        )
        calls.write_entries(connection, [CallEnd("CA6", START + timedelta(seconds=81), 81, "hung up")])
        calls.write_entries(connection, [step("CA7", 0, "welcome", marks=OPENING, simulated=True)])  # never counted
        found = counters(connection)
    # Rang from 5 s, answered at 17 s: 12 s, in the bin from 10 s, within 30 s, an emergency option.
    assert found == {
        ("reason", "answered_staff"): 1,
        ("person", "10"): 1,
        ("within", ""): 1,
        ("urgent", "all"): 1,
        ("urgent", "within"): 1,
    }

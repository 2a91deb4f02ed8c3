"""What a caller heard is handed to the call log as it is; the writer works out the stage marks and the emergency
flag from it (ivr.store.calls.settled), the same ones the webhook used to, and a spilled step keeps them."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from ivr.callflow import flow
from ivr.callflow.timeline import stage_marks
from ivr.store import calls
from ivr.store.call_log import SpillFile
from ivr.store.call_progress import Heard, HeardMarks
from ivr.store.calls import CallEnd, CallStep
from ivr.store.database import Database
from tests.callflow.factory import EMERGENCY, make_business

OPEN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
BUSINESS = make_business(menu=(EMERGENCY,))


def heard_step(sid: str, at: datetime, path: str, decision_steps: tuple[object, ...]) -> CallStep:
    heard = Heard(BUSINESS, decision_steps)  # type: ignore[arg-type]
    return CallStep(sid, 1, "+31501234567", "+31612345678", at, path, None, heard=heard)


def test_the_writer_stores_the_marks_and_the_flag_of_what_was_heard(database: Database) -> None:
    welcome = flow.incoming(BUSINESS, OPEN)
    choice = flow.menu_choice(BUSINESS, "1", 1)
    with database.engine.begin() as connection:
        calls.write_entries(connection, [heard_step("CA1", OPEN, welcome.path, welcome.steps)])
        calls.write_entries(connection, [CallEnd("CA1", OPEN + timedelta(seconds=1), 1, "hung up")])
        calls.write_entries(connection, [heard_step("CA2", OPEN, welcome.path, welcome.steps)])
        calls.write_entries(connection, [heard_step("CA2", OPEN + timedelta(seconds=9), choice.path, choice.steps)])
        rows = {
            sid: (marks, urgent, reason)
            for sid, marks, urgent, reason in connection.execute(
                text("SELECT call_sid, marks, urgent, end_reason FROM calls ORDER BY call_sid")
            )
        }
    expected = [[stage.value, start_s] for stage, start_s in stage_marks(BUSINESS, welcome.steps)]
    marks, urgent, reason = rows["CA1"]
    assert (marks if isinstance(marks, list) else json.loads(marks)) == expected
    assert not urgent and reason == "hung_up_welcome"
    assert bool(rows["CA2"][1])  # the emergency option, chosen 9 s in


def test_an_answer_many_callers_hear_is_worked_out_once() -> None:
    welcome = flow.incoming(BUSINESS, OPEN)
    heard = HeardMarks()
    first = heard.marks(BUSINESS, welcome.steps)
    assert heard.marks(BUSINESS, welcome.steps) is first  # the same objects: from memory
    again = flow.incoming(BUSINESS, OPEN)
    assert heard.marks(BUSINESS, again.steps) == first  # equal steps of another answer: worked out, the same


def test_a_spilled_step_keeps_its_marks_not_the_business(tmp_path: Path) -> None:
    welcome = flow.incoming(BUSINESS, OPEN)
    spill = SpillFile(tmp_path / "spill.jsonl")
    spill.append([heard_step("CA3", OPEN, welcome.path, welcome.steps)])
    [line] = (tmp_path / "spill.jsonl").read_text("utf-8").splitlines()
    assert "heard" not in json.loads(line)
    [back] = spill.take()
    assert isinstance(back, CallStep) and back.heard is None
    assert back.marks == stage_marks(BUSINESS, welcome.steps)

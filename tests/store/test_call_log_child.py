"""The call log stored through a child process (ivr.store.call_log_child), as a served app stores it: the same rows
as the writer's own thread stores, a child killed between or during batches loses nothing, closing ends it."""

import json
import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from ivr.callflow import flow
from ivr.callflow.timeline import stage_marks
from ivr.store.call_log import CallLogWriter
from ivr.store.call_log_child import ChildStore, ChildStoreFailed
from ivr.store.call_progress import Heard
from ivr.store.calls import CallEnd, CallStep
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from tests.callflow.factory import EMERGENCY, make_business

OPEN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
BUSINESS = make_business(menu=(EMERGENCY,))
WAIT_S = 30.0


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.dispose()


def _children() -> list[int]:
    """This process's store children, from /proc (what `ps` would show)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        if int(parent) == os.getpid() and b"ivr.store.call_log_child" in command:
            found.append(int(entry.name))
    return found


def _heard_step(sid: str, at: datetime, choice: str | None = None) -> CallStep:
    decision = flow.menu_choice(BUSINESS, choice, 1) if choice else flow.incoming(BUSINESS, OPEN)
    return CallStep(
        sid, 1, "+31501234567", "+31612345678", at, decision.path, None, heard=Heard(BUSINESS, decision.steps)
    )


def _rows(database: Database) -> dict[str, tuple[object, ...]]:
    with database.engine.connect() as connection:
        found = connection.execute(text("SELECT call_sid, path, marks, urgent, end_reason, duration_s FROM calls"))
        return {
            row[0]: tuple(json.loads(v) if isinstance(v, str) and v[:1] == "[" else v for v in row[1:]) for row in found
        }


def _record_a_day(writer: CallLogWriter) -> None:
    writer.record(_heard_step("CA1", OPEN))
    writer.record(CallEnd("CA1", OPEN + timedelta(seconds=1), 1, "hung up"))
    writer.record(_heard_step("CA2", OPEN))
    writer.record(_heard_step("CA2", OPEN + timedelta(seconds=9), "1"))


def test_the_child_stores_the_rows_the_writers_thread_stores(sqlite_url: str, tmp_path: Path) -> None:
    stored = {}
    for mode in ("thread", "child"):
        database = Database(sqlite_url.replace("greetline.db", f"{mode}.db"))
        upgrade(database.url)
        writer = CallLogWriter(database, tmp_path / f"{mode}.jsonl")
        if mode == "child":
            writer.store_in_child()
        _record_a_day(writer)
        assert writer.flush(WAIT_S)
        if mode == "child":
            assert len(_children()) == 1
        writer.close()
        stored[mode] = _rows(database)
        database.dispose()
    assert stored["child"] == stored["thread"]
    welcome = flow.incoming(BUSINESS, OPEN)
    assert stored["child"]["CA1"][1] == [[stage.value, start] for stage, start in stage_marks(BUSINESS, welcome.steps)]
    assert stored["child"]["CA1"][3] == "hung_up_welcome"
    assert bool(stored["child"]["CA2"][2])  # the emergency option
    assert _children() == []  # closing the log ended the child


def test_a_child_killed_between_batches_is_started_again_and_nothing_is_lost(
    sqlite_database: Database, tmp_path: Path
) -> None:
    writer = CallLogWriter(sqlite_database, tmp_path / "spill.jsonl")
    writer.store_in_child()
    writer.record(_heard_step("CAfirst", OPEN))
    assert writer.flush(WAIT_S)
    (child,) = _children()
    os.kill(child, signal.SIGKILL)
    for index in range(100):
        writer.record(_heard_step(f"CA{index:03}", OPEN))
    assert writer.flush(WAIT_S)  # the batch met the dead child, and was stored by a new one
    (again,) = _children()
    assert again != child
    writer.close()
    assert len(_rows(sqlite_database)) == 101


def test_a_child_that_hangs_is_killed_and_the_batch_not_counted_stored(sqlite_database: Database) -> None:
    store = ChildStore(sqlite_database.url, answer_timeout_s=2.0)
    store.store([CallStep("CA1", 1, "+31501234567", "+31612345678", OPEN, "welcome", None)])
    (child,) = _children()
    os.kill(child, signal.SIGSTOP)  # hung mid-batch, as a child waiting on a stalled database
    with pytest.raises(ChildStoreFailed, match="did not answer"):
        store.store([CallStep("CA2", 1, "+31501234567", "+31612345678", OPEN, "welcome", None)])
    assert _children() == []  # killed, to be started again by the next try
    assert set(_rows(sqlite_database)) == {"CA1"}
    store.store([CallStep("CA3", 1, "+31501234567", "+31612345678", OPEN, "welcome", None)])
    assert set(_rows(sqlite_database)) == {"CA1", "CA3"}
    store.close()
    assert _children() == []

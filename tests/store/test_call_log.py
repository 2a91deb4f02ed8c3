"""The call-log writer under database faults: a real sqlite3 process holds the lock; no step may be lost."""

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ivr.store.call_log import CallLogWriter, SpillFile
from ivr.store.calls import CallEnd, CallStep
from ivr.store.database import Database
from tests.fakes.sqlite_lock import exclusive_lock

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
# Bounds only a writer that never gets there; normally each wait ends in milliseconds to a few seconds.
WAIT_S = 30.0


def steps(count: int, prefix: str = "CA") -> list[CallStep]:
    return [
        CallStep(f"{prefix}{index:05}", None, "+31501234567", "+31612345678", NOW, "welcome", None)
        for index in range(count)
    ]


def call_rows(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM calls").scalar_one())


class _Failures(logging.Handler):
    """Set when the writer reports a batch it could not store: the lock has been met."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "could not store" in record.getMessage():
            self.seen.set()


@pytest.fixture
def failures() -> Iterator[_Failures]:
    handler = _Failures()
    logger = logging.getLogger("greetline.call_log")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.dispose()


Writer = Callable[..., CallLogWriter]


@pytest.fixture(params=["in-process", "child"])
def writer_of(request: pytest.FixtureRequest) -> Writer:
    """A writer storing by its own thread, or through the child process a served app uses (ivr.store.call_log_child):
    the faults below must be met the same way by both."""

    def made(*args: Any, **kwargs: Any) -> CallLogWriter:
        writer = CallLogWriter(*args, **kwargs)
        if request.param == "child":
            writer.store_in_child()
        return writer

    return made


def db_path(database: Database) -> Path:
    return Path(database.url.removeprefix("sqlite:///"))


def test_a_locked_database_delays_the_log_and_loses_nothing(
    sqlite_database: Database, failures: _Failures, tmp_path: Path, writer_of: Writer
) -> None:
    writer = writer_of(sqlite_database, tmp_path / "spill.jsonl")
    with exclusive_lock(db_path(sqlite_database)):
        for entry in steps(500):
            writer.record(entry)
        assert failures.seen.wait(WAIT_S)  # the writer met the lock and keeps the batch to retry
    assert writer.flush(WAIT_S)
    writer.close()
    assert call_rows(sqlite_database) == 500


def test_a_full_queue_spills_to_disk_in_order_and_the_spill_is_stored(
    sqlite_database: Database, failures: _Failures, tmp_path: Path, writer_of: Writer
) -> None:
    spill = tmp_path / "spill.jsonl"
    writer = writer_of(sqlite_database, spill, max_pending=10)
    with exclusive_lock(db_path(sqlite_database)):
        writer.record(steps(1, "CAfirst")[0])
        assert failures.seen.wait(WAIT_S)
        for entry in steps(200):
            writer.record(entry)
        assert spill.exists()  # the queue holds 10; the rest waits on disk, not dropped
        writer.record(CallEnd("CA00199", NOW, 42, "hung up"))  # after the step it ends, also across the spill
    assert writer.flush(WAIT_S)
    writer.close()
    assert call_rows(sqlite_database) == 201
    assert not spill.exists()
    with sqlite_database.engine.connect() as connection:
        duration = connection.exec_driver_sql("SELECT duration_s FROM calls WHERE call_sid = 'CA00199'").scalar_one()
    assert duration == 42


def test_closing_while_locked_keeps_the_steps_for_the_next_start(
    sqlite_database: Database, failures: _Failures, tmp_path: Path, writer_of: Writer
) -> None:
    spill = tmp_path / "spill.jsonl"
    with exclusive_lock(db_path(sqlite_database)):
        writer = writer_of(sqlite_database, spill, close_retry_s=0.0)
        for entry in steps(50):
            writer.record(entry)
        writer.close()  # shutting down with the database away: the steps go to disk
        assert len(SpillFile(spill).take()) == 50
        SpillFile(spill).append(list(steps(50)))
    restarted = CallLogWriter(sqlite_database, spill)
    restarted.close()  # the next process stores what the last one left before anything else
    assert call_rows(sqlite_database) == 50
    assert not spill.exists()


def test_steps_are_written_in_batches_by_time(sqlite_database: Database, tmp_path: Path) -> None:
    writer = CallLogWriter(sqlite_database, tmp_path / "spill.jsonl")
    transactions = []

    def count(*_args: object) -> None:
        transactions.append(1)

    from sqlalchemy import event

    event.listen(sqlite_database.engine, "commit", count)
    for entry in steps(300):
        writer.record(entry)
    assert writer.flush(WAIT_S)
    writer.close()
    assert call_rows(sqlite_database) == 300
    assert len(transactions) < 10  # one transaction per batch window, not one per step

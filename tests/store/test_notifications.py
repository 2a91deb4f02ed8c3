"""A change committed through one connection is heard by every replica's listener (PostgreSQL NOTIFY), within a
second; a change rolled back is never heard; SQLite sends nothing."""

import threading
import time
from datetime import UTC, datetime

import pytest

from ivr.routing.directory import MISS, Directory
from ivr.store import rendered
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.store.notifications import ChangeListener, libpq_url, listener_for
from ivr.usecases.documents import apply_text

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
NUMBER = "+31501234567"
HEARD_WITHIN_S = 1.0
# Long enough for a notification to arrive if one had been sent (they arrive in milliseconds).
QUIET_S = 0.5


class Heard:
    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_beyond(self, count: int, timeout_s: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count > count, timeout_s)


@pytest.fixture
def listening(postgres_database_url: str) -> tuple[Database, Heard, ChangeListener]:
    upgrade(postgres_database_url)
    heard = Heard()
    listener = ChangeListener(postgres_database_url, heard)
    listener.start()
    assert listener.listening.wait(5.0), "the listener did not connect"
    return Database(postgres_database_url), heard, listener


def test_a_committed_change_is_heard_within_a_second(
    listening: tuple[Database, Heard, ChangeListener], demo_text: str
) -> None:
    database, heard, listener = listening
    try:
        before = heard.count
        started = time.monotonic()
        apply_text(database, demo_text, NOW)
        assert heard.wait_beyond(before, HEARD_WITHIN_S)
        assert time.monotonic() - started < HEARD_WITHIN_S
    finally:
        listener.close()
        database.dispose()


def test_a_rolled_back_change_is_not_heard(listening: tuple[Database, Heard, ChangeListener], demo_text: str) -> None:
    database, heard, listener = listening
    try:
        before = heard.count
        stored = apply_text(database, demo_text, NOW).stored
        assert heard.wait_beyond(before, HEARD_WITHIN_S)
        settled = heard.count
        with pytest.raises(RuntimeError), database.transaction() as session:
            rendered.bump_revision(session, stored.id, NOW)
            raise RuntimeError("the change fails after it was marked")
        assert not heard.wait_beyond(settled, QUIET_S)
    finally:
        listener.close()
        database.dispose()


def test_the_directory_forgets_its_numbers_when_another_replica_changes(
    postgres_database_url: str, demo_text: str
) -> None:
    upgrade(postgres_database_url)
    database = Database(postgres_database_url)
    listener = listener_for(postgres_database_url)
    assert listener is not None
    listener.start()
    try:
        assert listener.listening.wait(5.0)
        apply_text(database, demo_text, NOW)
        directory = Directory(recheck_s=3600)  # the revision check alone would not look again for an hour
        with database.reading() as connection:
            assert directory.lookup(connection, NUMBER, NOW) is not None
        # Another replica's change: a NOTIFY sent by hand, as mark_changed does in the committing transaction.
        with database.engine.begin() as connection:
            connection.exec_driver_sql("NOTIFY greetline_changed")
        deadline = time.monotonic() + HEARD_WITHIN_S
        while directory.cached(NUMBER, NOW) is not MISS:
            assert time.monotonic() < deadline, "the directory still answers from memory after a second"
            time.sleep(0.01)
    finally:
        listener.close()
        database.dispose()


def test_sqlite_has_no_listener(sqlite_url: str) -> None:
    assert listener_for(sqlite_url) is None


def test_the_url_is_handed_to_libpq_with_its_options() -> None:
    url = "postgresql+psycopg://app:secret@db:5432/greetline?options=-csearch_path%3Dt_1"
    assert libpq_url(url) == "postgresql://app:secret@db:5432/greetline?options=-csearch_path%3Dt_1"

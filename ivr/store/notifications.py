"""Hearing other replicas' changes on PostgreSQL: a thread per process LISTENs on the changes channel and counts
each notification as a change heard (ivr.store.revisions), so every replica's directory reloads within a second.

A listener that loses its connection reconnects and counts a change at once (one may have been sent meanwhile);
the directory's revision check stays the safety net for that gap. SQLite has no notifications: nothing runs.
"""

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import make_url

from ivr.store.revisions import CHANGED_CHANNEL, heard_elsewhere

log = logging.getLogger("greetline.notifications")

# How often the thread looks up from waiting to see whether it should stop.
WAKE_S = 0.5
RECONNECT_AFTER_S = 1.0
CONNECT_TIMEOUT_S = 2


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://…) as libpq reads it (postgresql://…), query kept."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class ChangeListener:
    """`channel`: CHANGED_CHANNEL (the businesses) by default; the console's events have their own
    (ivr.store.console_events.CONSOLE_CHANNEL)."""

    def __init__(
        self, database_url: str, on_change: Callable[[], None] = heard_elsewhere, channel: str = CHANGED_CHANNEL
    ) -> None:
        self._conninfo = libpq_url(database_url)
        self._on_change = on_change
        self._channel = channel
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{channel}-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(WAKE_S * 4)

    def _run(self) -> None:
        # Imported here, on PostgreSQL only: a server on SQLite stays 10 MB smaller without psycopg (issue 12).
        import psycopg

        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as error:
                self.listening.clear()
                log.warning("not hearing other replicas' changes (%s); reconnecting", str(error).strip())
                self._stop.wait(RECONNECT_AFTER_S)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as connection:
            connection.execute(f"LISTEN {self._channel}")
            self._on_change()  # anything committed before LISTEN took effect is heard through this
            self.listening.set()
            while not self._stop.is_set():
                for _notification in connection.notifies(timeout=WAKE_S):
                    self._on_change()


def listener_for(
    database_url: str, on_change: Callable[[], None] = heard_elsewhere, channel: str = CHANGED_CHANNEL
) -> ChangeListener | None:
    """A listener on PostgreSQL; None on SQLite (one machine: every process hears through the snapshot file, and
    the console's events are published by the one server that serves the consoles)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        return None
    return ChangeListener(database_url, on_change, channel)

"""How one process hands the console's events to the consoles connected to it, holding no database connection
while nothing happens.

A call put through to a service is stored (`publish`, in a worker thread after the whisper has answered), which
wakes this process's consoles at once; on PostgreSQL the insert's NOTIFY wakes every other replica's too, through
their listener (ivr.store.notifications.ChangeListener on CONSOLE_CHANNEL, made in create_app). A woken console
reads the events after its last one in a worker thread, briefly, then waits on memory again. A wake-up carries no
data: a lost one costs nothing but the next, and a console that reconnects reads what it missed by its last id.
"""

import asyncio
import contextlib
import logging
import threading
from collections.abc import Collection

from starlette.concurrency import run_in_threadpool

from ivr.store import console_events
from ivr.store.console_events import PutThrough
from ivr.store.database import Database

log = logging.getLogger("greetline.console")


class ConsoleFeed:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._guard = threading.Lock()
        # Each waiting console's wake-up, with the event loop it waits on (set from any thread).
        self._waiting: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.closed = False

    def publish(self, event: PutThrough) -> int | None:
        """Store the event and wake the consoles; its id, or None when the database did not take it (logged: the
        call goes on, the card is still on the console's list)."""
        try:
            with self._database.transaction() as session:
                stored = console_events.add(session, event)
        except Exception:
            log.exception("call %s: the console's pop-up was not stored", event.call_sid[:40])
            return None
        self.wake()
        return stored

    def wake(self) -> None:
        """From any thread: every waiting console looks for new events."""
        with self._guard:
            waiting = list(self._waiting)
        for loop, woken in waiting:
            with contextlib.suppress(RuntimeError):  # that loop has closed (a test's server gone): nobody waits there
                loop.call_soon_threadsafe(woken.set)

    def close(self) -> None:
        """At shutdown: every stream ends, so the server is not kept waiting for them."""
        self.closed = True
        self.wake()

    def newest_id(self) -> int:
        """In a worker thread: where a console that remembers nothing starts."""
        with self._database.reading() as connection:
            return console_events.newest_id(connection)

    def _after(self, last_id: int, served: Collection[int]) -> list[PutThrough]:
        with self._database.reading() as connection:
            return console_events.after(connection, last_id, served)

    async def next_events(
        self, last_id: int, served: Collection[int], wait_s: float, stop: asyncio.Event | None = None
    ) -> list[PutThrough] | None:
        """The served businesses' events after `last_id`, as soon as there are any; [] after `wait_s` without
        (time for a keep-alive); None when the feed closed or `stop` was set (the server is stopping)."""
        woken = asyncio.Event()
        entry = (asyncio.get_running_loop(), woken)
        with self._guard:  # before reading: an event committed after the read still wakes this one
            self._waiting.add(entry)
        try:
            if self.closed or (stop is not None and stop.is_set()):
                return None
            found = await run_in_threadpool(self._after, last_id, served)
            if found:
                return found
            waits = [asyncio.ensure_future(woken.wait())]
            if stop is not None:
                waits.append(asyncio.ensure_future(stop.wait()))
            try:
                await asyncio.wait(waits, timeout=wait_s, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()
            if self.closed or (stop is not None and stop.is_set()):
                return None
            if not woken.is_set():
                return []
            return await run_in_threadpool(self._after, last_id, served)
        finally:
            with self._guard:
                self._waiting.discard(entry)

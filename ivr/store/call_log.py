"""Writing the call log beside the call, not in its way.

Webhooks hand each step to a writer thread that stores them in batches, one transaction per batch: a caller
never waits for the log, a failing log never fails a call, and under load the cost per call stays small.
"""

import logging
import queue
import threading

from ivr.store import calls
from ivr.store.calls import CallEntry
from ivr.store.database import Database

log = logging.getLogger("greetline.call_log")

# Steps stored per transaction at most; a burst larger than this is written in several.
BATCH_SIZE = 200
# A queue this long means the database has stopped keeping up; further steps are dropped (and logged)
# rather than let memory grow without bound.
MAX_PENDING = 50_000


class CallLogWriter:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._queue: queue.Queue[CallEntry | None] = queue.Queue(MAX_PENDING)
        self._thread = threading.Thread(target=self._run, name="greetline-call-log", daemon=True)
        self._thread.start()

    def record(self, entry: CallEntry) -> None:
        try:
            self._queue.put_nowait(entry)
        except queue.Full:
            log.error("call log is %d entries behind; dropping %s", MAX_PENDING, entry)

    def flush(self) -> None:
        """Block until everything recorded so far is stored (or failed and was logged)."""
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                self._queue.task_done()
                return
            batch = [first]
            while len(batch) < BATCH_SIZE:
                try:
                    entry = self._queue.get_nowait()
                except queue.Empty:
                    break
                if entry is None:  # close() asked; store what we have, then stop
                    self._store(batch)
                    self._done(len(batch) + 1)
                    return
                batch.append(entry)
            self._store(batch)
            self._done(len(batch))

    def _done(self, count: int) -> None:
        for _ in range(count):
            self._queue.task_done()

    def _store(self, batch: list[CallEntry]) -> None:
        try:
            with self._database.engine.begin() as connection:
                calls.write_entries(connection, batch)
        except Exception:
            log.exception("could not store %d call log entries", len(batch))

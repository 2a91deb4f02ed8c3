"""Writing the call log beside the call, not in its way, and never losing a row on the way.

Webhooks hand each step to a writer thread. The thread wakes every `BATCH_WINDOW_S` and stores what arrived
meanwhile in one transaction, so under load the cost per call stays small and a SIGKILL loses at most that window
(plus the batch being written). Handing a step over is an append to a deque that wakes no thread: a wake-up per
step cost the event loop a thread switch per call and put the writer's Python work in the way of requests
(profiled at 500 calls/s, issue 12). A batch that fails is retried with growing delays until the database takes it:
a locked or unreachable database delays the log, it does not empty it. When the queue is full (the database has
been away a long time) steps go to a spill file on disk instead, in order; the writer stores the spill once it has
caught up, and also the spill an earlier process left behind. Closing stores what is left, or spills it when the
database is still away, so a shutdown (lifespan end, SIGTERM) loses nothing either.
"""

import json
import logging
import threading
import time
from collections import deque
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from ivr.callflow.timeline import Stage
from ivr.store import call_progress, calls
from ivr.store.call_log_child import ChildStore
from ivr.store.calls import CallEnd, CallEntry, CallStep
from ivr.store.database import Database

log = logging.getLogger("greetline.call_log")

# Steps stored per transaction at most; a burst larger than this is written in several.
BATCH_SIZE = 1000
# How long the writer gathers steps before it writes them: the most a SIGKILL can lose (issue 8 allows 1 s).
BATCH_WINDOW_S = 0.25
# Steps held in memory before they go to the spill file: 1 to 2 minutes of 500 calls/s (about 30 MB).
MAX_PENDING = 100_000
# Retry delays for a batch the database refused: from a quick second try to one every few seconds.
RETRY_FIRST_DELAY_S = 0.05
RETRY_MAX_DELAY_S = 2.0
# On close, how long the writer keeps retrying before it spills what is left to disk for the next start.
CLOSE_RETRY_S = 5.0
# `flush` waits at most this long by default: a page showing calls must not hang on a database that is away.
FLUSH_TIMEOUT_S = 10.0


class SpillFile:
    """Steps the queue could not hold, as JSON lines, appended in the order they came."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entries: list[CallEntry]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as file:
            file.writelines(json.dumps(_encoded(entry)) + "\n" for entry in entries)

    def take(self) -> list[CallEntry]:
        """Everything spilled so far; the file is removed (the caller now owns the entries)."""
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return []
        self.path.unlink()
        # A line cut short by a crash mid-write is the only one that can fail to parse; it is skipped.
        entries = []
        for line in text.splitlines():
            try:
                entries.append(_decoded(json.loads(line)))
            except (ValueError, KeyError, TypeError):
                log.error("skipping an unreadable line in the call log spill %s: %r", self.path, line[:200])
        return entries


def _encoded(entry: CallEntry) -> dict[str, Any]:
    entry = calls.settled(entry)  # the marks and the flag, not the business they come from
    data = {"kind": "step" if isinstance(entry, CallStep) else "end", **asdict(entry), "at": entry.at.isoformat()}
    data.pop("heard", None)
    if isinstance(entry, CallStep) and entry.answered_at is not None:
        data["answered_at"] = entry.answered_at.isoformat()
    return data


def _decoded(data: dict[str, Any]) -> CallEntry:
    kind = data.pop("kind")
    data["at"] = datetime.fromisoformat(data["at"])
    if kind != "step":
        return CallEnd(**data)
    # Spilled by an older version: no marks, no answer time.
    data["marks"] = tuple((Stage(stage), float(start_s)) for stage, start_s in data.get("marks") or ())
    answered = data.get("answered_at")
    data["answered_at"] = datetime.fromisoformat(answered) if answered else None
    return CallStep(**data)


class CallLogWriter:
    """`spill_path`: where steps go while the queue is full; without one, `record` waits for room instead."""

    def __init__(
        self,
        database: Database,
        spill_path: Path | None = None,
        *,
        max_pending: int = MAX_PENDING,
        close_retry_s: float = CLOSE_RETRY_S,
    ) -> None:
        self._database = database
        self._spill = SpillFile(spill_path) if spill_path else None
        self._max_pending = max_pending
        self._close_retry_s = close_retry_s
        self._pending: deque[CallEntry] = deque()
        self._lock = threading.Lock()  # orders the choice between the deque and the spill file
        self._room = threading.Condition(self._lock)  # without a spill file, `record` waits here for room
        self._spilling = False
        self._progress = threading.Condition()
        self._recorded = 0
        self._stored = 0
        self._closing = threading.Event()
        self._heard = call_progress.HeardMarks()  # used by the writer's thread only
        self._child: ChildStore | None = None  # stores the batches when set (`store_in_child`)
        self._thread = threading.Thread(target=self._run, name="greetline-call-log", daemon=True)
        self._thread.start()

    def record(self, entry: CallEntry) -> None:
        with self._progress:
            self._recorded += 1
        with self._lock:
            if self._spill is None:
                # Back-pressure: a webhook's deadline answers the call if this waits long.
                self._room.wait_for(lambda: len(self._pending) < self._max_pending)
                self._pending.append(entry)
                return
            if not self._spilling:
                if len(self._pending) < self._max_pending:
                    self._pending.append(entry)
                    return
                self._spilling = True
                log.warning("call log is %d steps behind; spilling to %s", self._max_pending, self._spill.path)
            self._spill.append([entry])

    def store_in_child(self) -> None:
        """From now on batches are stored by a process of its own (ivr.store.call_log_child)."""
        self._child = ChildStore(self._database.url)

    def flush(self, timeout_s: float = FLUSH_TIMEOUT_S) -> bool:
        """Wait until everything recorded so far is stored; False if that took longer than `timeout_s`."""
        with self._progress:
            target = self._recorded
            return self._progress.wait_for(lambda: self._stored >= target, timeout_s)

    def close(self) -> None:
        self._closing.set()  # also ends the writer's wait for the window at once
        self._thread.join()
        if self._child is not None:
            self._child.close()

    def _run(self) -> None:
        if self._spill is not None:  # what an earlier process spilled (or could not store before it ended)
            leftovers = self._spill.take()
            if leftovers and not self._store(leftovers, counted=False):
                return
        while True:
            batch = self._gather()
            if batch:
                if not self._store(batch):
                    return
            elif self._closing.is_set():
                return

    def _gather(self) -> list[CallEntry]:
        """What arrived during one batch window (at once when a full batch waits); or, when nothing did, what was
        spilled."""
        if len(self._pending) < BATCH_SIZE and not self._closing.is_set():
            self._closing.wait(BATCH_WINDOW_S)
        with self._lock:
            batch = [self._pending.popleft() for _ in range(min(BATCH_SIZE, len(self._pending)))]
            self._room.notify_all()
        if not batch and self._spilling:
            return self._take_spill()
        return batch

    def _take_spill(self) -> list[CallEntry]:
        assert self._spill is not None
        with self._lock:  # from here on new steps queue again, after the spilled ones the writer now holds
            self._spilling = False
            return self._spill.take()

    def _store(self, batch: list[CallEntry], *, counted: bool = True) -> bool:
        """True once stored; False when closing gave up and spilled everything left (the writer then ends)."""
        delay_s = RETRY_FIRST_DELAY_S
        closing_since: float | None = None
        failures = 0
        while batch:
            try:
                self._write(batch)
            except Exception as error:
                failures += 1
                if failures == 1:
                    log.warning("could not store %d call log steps (%r); retrying until it works", len(batch), error)
                if self._closing.is_set():
                    closing_since = closing_since or time.monotonic()
                    if time.monotonic() - closing_since >= self._close_retry_s:
                        self._give_up(batch)
                        return False
                self._closing.wait(delay_s)  # a close ends the wait early, to spill sooner
                delay_s = min(delay_s * 2, RETRY_MAX_DELAY_S)
                continue
            if failures:
                log.warning("stored %d call log steps after %d failed attempt(s)", len(batch), failures)
            if counted:
                self._count_stored(len(batch))
            return True
        return True

    def _write(self, batch: list[CallEntry]) -> None:
        """The batch stored in one transaction, here or by the child (its marks worked out here: the child has no
        business objects)."""
        child = self._child
        if child is not None:
            child.store([calls.settled(entry, self._heard) for entry in batch])
            return
        with self._database.engine.begin() as connection:
            calls.write_batches(connection, batch, self._heard)

    def _give_up(self, batch: list[CallEntry]) -> None:
        """Closing with the database away: keep the steps on disk for the next start."""
        with self._lock:
            rest = list(self._pending)
            self._pending.clear()
            if self._spill is None:
                log.error("closing with the database away: %d call log steps are lost", len(batch) + len(rest))
                return
            # Oldest first: the batch, then the queue, then what was spilled while the queue was full.
            kept = batch + rest + (self._spill.take() if self._spilling else [])
            self._spilling = False
            self._spill.append(kept)
        log.error("closing with the database away: %d call log steps kept in %s", len(kept), self._spill.path)

    def _count_stored(self, count: int) -> None:
        with self._progress:
            self._stored += count
            self._progress.notify_all()


class ImmediateCallLog:
    """Each step stored before its webhook answers, in a transaction of its own.

    For `greetline call` in-process: a process that lives for one call runs no lifespan to close a writer, so the
    writer's thread died with the process and took the steps of its last window along (the call's end, often the
    whole call: entries lost, or left "in progress" for ever); and a writer would also take a serving process's
    spill file as its own. One call's few steps cost nothing to store at once.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def record(self, entry: CallEntry) -> None:
        with self._database.engine.begin() as connection:
            calls.write_entries(connection, [entry])

    def flush(self, timeout_s: float = 0.0) -> bool:
        return True

    def close(self) -> None:
        pass

"""Every number's routing as the fallback needs it, kept in memory and in one JSON file on local disk.

When the database is away the voice fallback still has to ring a business's staff, also in a process started during
the outage. So each saved change rewrites this file (atomically: a temporary file renamed over it), and a server
that starts without a database reads it. The map is keyed by number with the business's revision in each entry,
so it can serve as the durable copy of an in-memory number → business map kept current by change notification.

Several processes may write it (the server, `greetline apply`): each change is a read-modify-write of one
business's entries under an exclusive `flock`, and readers notice a rewritten file by its inode, time and size.
"""

import fcntl
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("greetline.snapshot")

# Bumped when the entry's fields change; a file of another format is ignored (and rewritten on the next change).
SNAPSHOT_FORMAT = 2
# Older formats still read: format 1 lacks the overflow fields, which then stay empty until the next rewrite.
READABLE_FORMATS = (1, SNAPSHOT_FORMAT)


@dataclass(frozen=True)
class Routing:
    """What the fallback needs to get a caller of one number to a human, in the business's language."""

    business_id: int
    revision: int
    operators: tuple[str, ...]
    language: str
    country: str
    unavailable: str
    # The overflow for a caller the staff do not answer: the answering service's numbers, or else the voicemail box
    # (by name) with what the caller hears before the tone. Neither: the unavailable message (format 2, issue 25).
    overflow: tuple[str, ...] = ()
    voicemail_box: str = ""
    voicemail: str = ""


class RoutingSnapshot:
    """`path` None: kept in memory only (tests, previews)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._guard = threading.Lock()
        self._entries: dict[str, Routing] = {}
        self._read_version: tuple[int, int, int] | None = None
        # False when the file read was of an older format: its entries lack fields, so it must be rewritten whole.
        self._whole = True
        # Counts the rewrites by others read from the file: the directory hears another process's change by it (this
        # process's own changes it hears from ivr.store.revisions, after their commit).
        self._generation = 0
        self.reload()

    def generation(self) -> int:
        """Changes when another process's rewrite of the file has been read (`reload`); from memory."""
        return self._generation

    def get(self, number: str) -> Routing | None:
        """From memory: what the file said when it was last read (`reload`)."""
        return self._entries.get(number)

    def stale(self) -> bool:
        """Whether another process has rewritten the file since it was read: one stat, cheap on the event loop."""
        if self.path is None:
            return False
        try:
            return _file_version(self.path) != self._read_version
        except FileNotFoundError:
            return False

    def __len__(self) -> int:
        return len(self._entries)

    def put_business(self, business_id: int, revision: int, entries: dict[str, Routing]) -> None:
        """Replace one business's numbers with `entries` (numbers it no longer has disappear).

        An older revision than the one stored changes nothing: a call that read the database just before a
        change must not put the old routing back.
        """
        self.put_businesses([(business_id, revision, entries)])

    def put_businesses(self, changes: list[tuple[int, int, dict[str, Routing]]]) -> None:
        """`put_business` for many businesses in one rewrite of the file (a bulk apply)."""
        with self._changing() as current:
            numbers_of: dict[int, list[str]] = {}
            for number, routing in current.items():
                numbers_of.setdefault(routing.business_id, []).append(number)
            for business_id, revision, entries in changes:
                # Checked against `current`: a number may have moved to another business earlier in this batch.
                mine = [
                    n for n in numbers_of.get(business_id, []) if n in current and current[n].business_id == business_id
                ]
                if any(current[number].revision > revision for number in mine):
                    continue
                for number in mine:
                    del current[number]
                current.update(entries)
                numbers_of[business_id] = list(entries)  # the same business twice in one batch: the later wins

    def held_revisions(self) -> dict[int, int] | None:
        """Each business's revision as held in memory (`reload` first to see the file); None when the file was of an
        older format, so every business is to be written again (ivr.routing.watch compares these with the database)."""
        if not self._whole:
            return None
        return {routing.business_id: routing.revision for routing in self._entries.values()}

    def revision_of(self, number: str) -> int | None:
        """The stored revision for a number, from memory (no look at the file): cheap enough for every call."""
        routing = self._entries.get(number)
        return routing.revision if routing else None

    def replace_all(self, entries: dict[str, Routing]) -> None:
        with self._changing() as current:
            current.clear()
            current.update(entries)

    @contextmanager
    def _changing(self) -> Iterator[dict[str, Routing]]:
        with self._guard, self._file_lock():
            current = self._read()[0] if self.path else dict(self._entries)
            yield current
            if self.path:
                _write_atomically(self.path, _encoded(current.items()))
                self._read_version = _file_version(self.path)
            self._entries, self._whole = current, True

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        if self.path is None:
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.path}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield  # closing the file releases the lock

    def reload(self) -> None:
        """Read the file again when another process has rewritten it since.

        Blocking file I/O and a parse of every number's entry (megabytes with 10,000 businesses): never on the event
        loop. A call that finds the file `stale` has this run in a worker thread (ivr.web.fallback.read_snapshot).
        """
        if self.path is None:
            return
        with self._guard:  # a second reader waits for the first, then finds nothing left to read
            try:
                version = _file_version(self.path)
            except FileNotFoundError:
                return
            if version != self._read_version:
                self._entries, self._whole = self._read()
                self._read_version = version
                self._generation += 1

    def _read(self) -> tuple[dict[str, Routing], bool]:
        """The file's entries, and whether it holds every field of the current format."""
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("format") not in READABLE_FORMATS:
                log.error(
                    "routing snapshot %s has format %r, not %d; ignored", self.path, data.get("format"), SNAPSHOT_FORMAT
                )
                return {}, True
            entries = {number: _decoded(entry) for number, entry in data["numbers"].items()}
            return entries, data["format"] == SNAPSHOT_FORMAT
        except FileNotFoundError:
            return {}, True
        except (ValueError, KeyError, TypeError) as error:
            # Written atomically, so this is damage from outside; the next change or refresh writes a good one.
            log.error("routing snapshot %s is unreadable (%r); ignored", self.path, error)
            return {}, True


def _owned(entries: dict[str, Routing], number: str, business_id: int) -> bool:
    return number in entries and entries[number].business_id == business_id


def _file_version(path: Path) -> tuple[int, int, int]:
    """Changes with every rewrite: each is a new file (inode), and two within one clock tick differ in size or inode."""
    status = path.stat()
    return status.st_ino, status.st_mtime_ns, status.st_size


def _encoded(entries: Iterable[tuple[str, Routing]]) -> str:
    numbers = {number: asdict(routing) for number, routing in sorted(entries)}
    return json.dumps({"format": SNAPSHOT_FORMAT, "numbers": numbers}, ensure_ascii=False, indent=1)


def _decoded(entry: dict[str, Any]) -> Routing:
    return Routing(**{**entry, "operators": tuple(entry["operators"]), "overflow": tuple(entry.get("overflow", ()))})


def _write_atomically(path: Path, text: str) -> None:
    """A reader sees the old file or the new one, never half of one, also after a crash (fsync before rename)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

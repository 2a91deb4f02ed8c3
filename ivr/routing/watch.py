"""Keeping the routing snapshot (ivr.store.snapshot) true: on every saved change, and from the database itself.

A saved change rewrites its business's entries (`remember_routing`, called by the use cases that save). A server
also brings the snapshot up to date from the database whenever it (re)connects (`DatabaseWatch`: the businesses whose
revision differs from the one the snapshot holds), which picks up changes made while it was away or by other
processes, and the directory notes a newer revision seen on a call.
The directory's revision check runs here too (`RevisionCheck`), beside the calls rather than in front of them.
"""

import logging
import threading

from ivr.document.load import validate_document
from ivr.routing.directory import Directory, routing_of
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database
from ivr.store.snapshot import Routing

log = logging.getLogger("greetline.routing")

# How often the server checks that the database answers; a reconnection rewrites the snapshot within this time.
PROBE_INTERVAL_S = 5.0
# After a revision check failed (the database away), wait this long before the next: the calls go on from memory.
RECHECK_RETRY_S = 1.0
# How often the revision check looks up from waiting to see whether it should stop.
RECHECK_WAKE_S = 0.5


def routing_entries(stored: StoredBusiness) -> dict[str, Routing]:
    document = validate_document(stored.document)
    return routing_of(document, stored.id, stored.revision)


def remember_routing(database: Database, stored: StoredBusiness) -> None:
    """After a change is committed: the fallback of every process on this machine rings the new staff."""
    try:
        database.routing.put_business(stored.id, stored.revision, routing_entries(stored))
    except OSError as error:  # the change is saved; a full disk must not report it as failed
        log.error("could not rewrite the routing snapshot %s: %r", database.routing.path, error)


def refresh_routing(database: Database, stop: threading.Event | None = None) -> int | None:
    """Bring the snapshot to the database's revisions; returns how many businesses were written again, None when
    `stop` was set first (nothing written).

    Only the businesses whose revision differs from the one the snapshot holds are read: a restart with nothing
    changed reads no document (one query for the revisions), where reading and validating all 10,000 held the
    server's first calls back (issue 25).
    """
    with database.reading() as connection:
        current = businesses.revisions(connection)
        held, whole, changed = _outdated(database, current)
        written: list[tuple[int, int, dict[str, Routing]]] = []
        for business in businesses.documents_of(connection, changed):
            if stop is not None and stop.is_set():  # the server is stopping: the next start does it
                return None
            written.append((business.id, business.revision, routing_entries(business)))
    gone: list[tuple[int, int, dict[str, Routing]]] = [(id_, held[id_], {}) for id_ in held.keys() - current.keys()]
    if whole:
        snapshot = {number: routing for _id, _revision, entries in written for number, routing in entries.items()}
        database.routing.replace_all(snapshot)
    elif written or gone:
        database.routing.put_businesses(written + gone)  # a deleted business's numbers go with its empty entries
    return len(written)


def routing_outdated(database: Database) -> int:
    """How many businesses `refresh_routing` would read now (one query, no document)."""
    with database.reading() as connection:
        return len(_outdated(database, businesses.revisions(connection))[2])


def _outdated(database: Database, current: dict[int, int]) -> tuple[dict[int, int], bool, list[int]]:
    """The revisions the snapshot holds, whether it is to be written whole, and the businesses to read.

    Whole when it holds nothing, is of an older format, or holds a revision newer than the database's (a database
    restored from a backup): a business's newer entries would otherwise win over the older revision put back."""
    database.routing.reload()  # blocking file I/O: in the watch's thread
    held = database.routing.held_revisions() or {}  # None (an older format) and empty alike: all are read
    whole = not held or any(held.get(id_, 0) > revision for id_, revision in current.items())
    changed = sorted(current if whole else (id_ for id_, revision in current.items() if held.get(id_) != revision))
    return held, whole, changed


class DatabaseWatch:
    """Checks in the background that the database answers; on every (re)connection brings the snapshot up to date."""

    def __init__(self, database: Database, interval_s: float = PROBE_INTERVAL_S, settle_s: float = 0.0) -> None:
        """`settle_s`: how long after the start a snapshot to be written from every document waits."""
        self._database = database
        self._interval_s = interval_s
        self._settle_s = settle_s
        self._stop = threading.Event()
        self.reachable: bool | None = None  # None: not probed yet
        self._thread = threading.Thread(target=self._run, name="greetline-database-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(self._interval_s)  # a probe stuck on a stalled server is left behind (daemon thread)

    def _run(self) -> None:
        starting = True
        while True:
            try:
                if not self.reachable:
                    # A first start (no snapshot yet, or one of an older format) reads every document: the server's
                    # first calls have the process first. A restart finds the snapshot current and waits for nothing.
                    outdated = starting and self._settle_s and routing_outdated(self._database)
                    if outdated and self._stop.wait(self._settle_s):
                        return
                    written = refresh_routing(self._database, self._stop)
                    if written is None:
                        return
                    log.info("database reachable; routing snapshot brought up to date (%d businesses read)", written)
                else:
                    with self._database.reading() as connection:
                        connection.exec_driver_sql("SELECT 1")
                self.reachable = True
            except Exception as error:
                if self.reachable is not False:
                    log.warning("database unreachable (%r): answering calls from the routing snapshot", error)
                self.reachable = False
            starting = False
            if self._stop.wait(self._interval_s):
                return


class RevisionCheck:
    """Asks the database for the revision stamp beside the calls, whenever a call found the check due.

    A call never waits for this (ivr.routing.directory.Directory.check_due): with the database stalled the check
    hangs here, up to the database's own timeouts, while every number in memory is answered as usual.
    """

    def __init__(self, database: Database, directory: Directory) -> None:
        self._database = database
        self._directory = directory
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="greetline-revision-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._directory.check_due.set()  # wakes the thread to see the stop
        self._thread.join(RECHECK_WAKE_S * 4)  # a check stuck on a stalled server is left behind (daemon thread)

    def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            if not self._directory.check_due.wait(RECHECK_WAKE_S) or self._stop.is_set():
                continue
            try:
                with self._database.reading() as connection:
                    self._directory.recheck(connection)
                failing = False
            except Exception as error:
                if not failing:
                    log.warning("revision check failed (%r); calls are answered from memory meanwhile", error)
                failing = True
                self._stop.wait(RECHECK_RETRY_S)

"""Keeping the routing snapshot (ivr.store.snapshot) true: on every saved change, and from the database itself.

A saved change rewrites its business's entries (`remember_routing`, called by the use cases that save). A server
also rewrites the whole snapshot from the database whenever it (re)connects (`DatabaseWatch`), which picks up
changes made while it was away or by other processes, and the directory notes a newer revision seen on a call.
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


def refresh_routing(database: Database) -> int:
    """Rewrite the whole snapshot from the database; returns the number of numbers it holds."""
    entries: dict[str, Routing] = {}
    with database.reading() as connection:
        for business in businesses.documents_of(connection, sorted(businesses.revisions(connection))):
            entries.update(routing_entries(business))
    database.routing.replace_all(entries)
    return len(entries)


class DatabaseWatch:
    """Checks in the background that the database answers; on every (re)connection rewrites the snapshot."""

    def __init__(self, database: Database, interval_s: float = PROBE_INTERVAL_S) -> None:
        self._database = database
        self._interval_s = interval_s
        self._stop = threading.Event()
        self.reachable: bool | None = None  # None: not probed yet
        self._thread = threading.Thread(target=self._run, name="greetline-database-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(self._interval_s)  # a probe stuck on a stalled server is left behind (daemon thread)

    def _run(self) -> None:
        while True:
            try:
                if not self.reachable:
                    count = refresh_routing(self._database)
                    log.info("database reachable; routing snapshot rewritten (%d numbers)", count)
                else:
                    with self._database.reading() as connection:
                        connection.exec_driver_sql("SELECT 1")
                self.reachable = True
            except Exception as error:
                if self.reachable is not False:
                    log.warning("database unreachable (%r): answering calls from the routing snapshot", error)
                self.reachable = False
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

"""How a server hears that a business changed, so its in-memory directory never serves an old configuration.

Within a process: every transaction that changes what callers hear (a saved document, a rendered greeting) marks
its session, and the commit counts it (`committed()`), after the commit and never before, so a call that reads
the count and then the database cannot cache a version older than the one the count announced.
Across processes and replicas on PostgreSQL: the same transaction sends a NOTIFY on CHANGED_CHANNEL, which
PostgreSQL delivers to every listener when (and only when) it commits; each replica's listener
(ivr.store.notifications) then counts a change heard (`heard_elsewhere()`), so its directory reloads within
milliseconds. The safety net for a notification lost (a listener reconnecting): `stamp()`, one cheap aggregate
over the businesses table that changes with any saved change, new business or deleted one (each bumps a revision,
the count, the largest id or `updated_at`), asked at most every GREETLINE_DIRECTORY_RECHECK_S.
"""

import threading
from datetime import datetime

from sqlalchemy import Connection, event, func, select, text
from sqlalchemy.orm import Session

from ivr.store.tables import BusinessRow, CalendarCopyRow

_CHANGED = "greetline_routing_changed"
# The NOTIFY channel every replica LISTENs on; the payload is empty: any change reloads the whole directory.
CHANGED_CHANNEL = "greetline_changed"
_NOTIFY = text(f"NOTIFY {CHANGED_CHANNEL}")

_guard = threading.Lock()
_committed = 0

Stamp = tuple[int, int, int | None, datetime | None, datetime | None]

_STAMP = select(
    func.count(),
    func.coalesce(func.sum(BusinessRow.revision), 0),
    func.max(BusinessRow.id),
    func.max(BusinessRow.updated_at),
    # A calendar copy whose away events changed (ivr.store.calendars), written by a worker in another process.
    select(func.max(CalendarCopyRow.changed_at)).scalar_subquery(),
)


def mark_changed(session: Session) -> None:
    """Called by the store functions that change what callers hear, inside the session's transaction."""
    session.info[_CHANGED] = True
    if session.get_bind().dialect.name == "postgresql":
        # Part of this transaction: sent on commit, never for a change rolled back (PostgreSQL docs, NOTIFY).
        session.execute(_NOTIFY)


def committed() -> int:
    """Changes committed by this process, or heard of from another, so far: a different number means reload."""
    return _committed


def heard_elsewhere() -> None:
    """Another process or replica committed a change (a NOTIFY arrived), or one may have been missed."""
    global _committed
    with _guard:
        _committed += 1


def stamp(connection: Connection) -> Stamp:
    row = connection.execute(_STAMP).one()
    return (int(row[0]), int(row[1]), row[2], row[3], row[4])


# Process-wide, on every session, registered on import (why here and not with the levers: ivr.web.process_levers).
@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    global _committed
    if session.info.pop(_CHANGED, False):
        with _guard:
            _committed += 1

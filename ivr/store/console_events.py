"""The console's events (issue 26): a call put through to an answering service, with a sequence id.

The id is what a console's event stream names its events by (SSE's `id:`); a console that reconnects says the last
one it saw and is sent every later one. So ids must appear in the order they commit: on PostgreSQL an insert takes
a transaction-level advisory lock first (a reader that saw id 7 can never later meet a 6 committed after it); SQLite
writes one transaction at a time anyway. The insert also sends a NOTIFY on CONSOLE_CHANNEL, delivered to every
replica's listener when it commits (ivr.store.notifications), which wakes that replica's consoles.
Rows are kept KEEP_S; older ones are pruned as new ones come.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, ForeignKey, Index, Integer, Row, String, delete, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from ivr.store.tables import Base, Instant

CONSOLE_CHANNEL = "greetline_console"
# A console missing for longer than a day has nothing to catch up on that matters: the calls are on today's card.
KEEP_S = 24 * 3600
# At most this many events are sent to a console at once (a reconnect after a long gap on a busy line).
MAX_REPLAY = 200
# Any constant: the key of the advisory lock that keeps ids in commit order.
_ORDER_LOCK = 260_026


class ConsoleEventRow(Base):
    __tablename__ = "console_events"
    __table_args__ = (Index("ix_console_events_at", "at"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    # The caller's call (the parent of the service's leg): the card's note is tied to it.
    call_sid: Mapped[str] = mapped_column(String(64))
    caller: Mapped[str] = mapped_column(String(32))
    # How the caller came (ivr.callflow.whisper.CallerRoute): its `via` and, for a menu choice, the key.
    via: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(1))
    at: Mapped[datetime] = mapped_column(Instant())


@dataclass(frozen=True)
class PutThrough:
    """A call put through to a business's answering service; `id` 0 until stored."""

    business_id: int
    call_sid: str
    caller: str
    via: str
    key: str
    at: datetime
    id: int = 0


def add(session: Session, event: PutThrough) -> int:
    """Stores the event (and prunes what is older than KEEP_S); its id. Sent to listeners on commit."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ORDER_LOCK})
    session.execute(delete(ConsoleEventRow).where(ConsoleEventRow.at < event.at - timedelta(seconds=KEEP_S)))
    row = ConsoleEventRow(
        business_id=event.business_id,
        call_sid=event.call_sid,
        caller=event.caller,
        via=event.via,
        key=event.key,
        at=event.at,
    )
    session.add(row)
    session.flush()
    if postgres:
        session.execute(text(f"NOTIFY {CONSOLE_CHANNEL}"))
    return row.id


def _event(row: Row[Any]) -> PutThrough:
    return PutThrough(row.business_id, row.call_sid, row.caller, row.via, row.key, row.at, row.id)


def after(connection: Connection, last_id: int, business_ids: Collection[int]) -> list[PutThrough]:
    """The events of these businesses after `last_id`, oldest first (at most MAX_REPLAY, the newest of them)."""
    if not business_ids:
        return []
    query = (
        select(ConsoleEventRow)
        .where(ConsoleEventRow.id > last_id, ConsoleEventRow.business_id.in_(sorted(business_ids)))
        .order_by(ConsoleEventRow.id.desc())
        .limit(MAX_REPLAY)
    )
    rows = connection.execute(query).all()
    return [_event(row) for row in reversed(rows)]


def newest_id(connection: Connection) -> int:
    """Where a console that remembers nothing starts: after every event stored so far."""
    return int(connection.execute(select(func.coalesce(func.max(ConsoleEventRow.id), 0))).scalar_one())


def put_through(connection: Connection, call_sid: str) -> PutThrough | None:
    """The event of a call put through, while it is kept: a console's note is tied only to a call its business's
    service took."""
    row = connection.execute(
        select(ConsoleEventRow).where(ConsoleEventRow.call_sid == call_sid).order_by(ConsoleEventRow.id).limit(1)
    ).first()
    return None if row is None else _event(row)

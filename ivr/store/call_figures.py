"""The call log read whole: streamed for the CSV, and counted in SQL for the statistics (never row by row in Python).

Every count is an aggregate over the index `ix_calls_figures` (business, start, simulated, end reason, time to a
person, length): for 200,000 calls the database answers with a few thousand groups, not 200,000 rows.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, String, case, cast, func, or_, select, tuple_

from ivr.callflow.end_reasons import HUNG_UP
from ivr.store.calls import LOGGED_COLUMNS, LoggedCall
from ivr.store.tables import CallRow

# Rows fetched from the database per round while a CSV streams: memory stays flat however long the log.
STREAM_BATCH = 2000


def stream(
    connection: Connection, business_id: int, since: datetime | None, until: datetime | None
) -> Iterator[LoggedCall]:
    """All of a business's calls in the window, oldest first, test calls included (marked), fetched in batches.

    Keyset pages on (started_at, call_sid): each round is a short query off the index, so neither side holds the
    whole log and no cursor stays open between rounds (a page's connection may be autocommit)."""
    after: tuple[datetime, str] | None = None
    while True:
        query = select(*LOGGED_COLUMNS).where(CallRow.business_id == business_id)
        if since is not None:
            query = query.where(CallRow.started_at >= since)
        if until is not None:
            query = query.where(CallRow.started_at < until)
        if after is not None:
            query = query.where(tuple_(CallRow.started_at, CallRow.call_sid) > tuple_(*after))
        query = query.order_by(CallRow.started_at, CallRow.call_sid).limit(STREAM_BATCH)
        rows = connection.execute(query).all()
        yield from (LoggedCall(*row) for row in rows)
        if len(rows) < STREAM_BATCH:
            return
        after = (rows[-1].started_at, rows[-1].call_sid)


@dataclass(frozen=True)
class HourCount:
    """Calls that began in one UTC hour and ended for one reason (None: still going)."""

    hour: datetime
    end_reason: str | None
    calls: int


@dataclass(frozen=True)
class SecondsCount:
    """Calls with one end reason and one whole number of seconds (to a person, or of the call)."""

    end_reason: str | None
    seconds: int
    calls: int


@dataclass(frozen=True)
class EmergencyCounts:
    calls: int
    within_s: int


def _hour(connection: Connection) -> ColumnElement[str]:
    """The UTC hour a call began in, as text "YYYY-MM-DD HH" on both databases."""
    if connection.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", CallRow.started_at), "YYYY-MM-DD HH24")
    return func.substr(CallRow.started_at, 1, 13)


def _window(business_id: int, since: datetime, until: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        CallRow.business_id == business_id,
        CallRow.started_at >= since,
        CallRow.started_at < until,
        CallRow.simulated.is_(False),
    )


def by_hour(connection: Connection, business_id: int, since: datetime, until: datetime) -> list[HourCount]:
    hour = _hour(connection).label("hour")
    query = (
        select(hour, CallRow.end_reason, func.count())
        .where(*_window(business_id, since, until))
        .group_by(hour, CallRow.end_reason)
    )
    return [
        HourCount(datetime.strptime(text, "%Y-%m-%d %H").replace(tzinfo=UTC), reason, count)
        for text, reason, count in connection.execute(query)
    ]


def _whole(column: Any) -> ColumnElement[int]:
    return cast(column, Integer)  # PostgreSQL rounds, SQLite truncates: a second either way, and charts bin by 5


def seconds_to_person(connection: Connection, business_id: int, since: datetime, until: datetime) -> list[SecondsCount]:
    seconds = _whole(CallRow.person_s).label("seconds")
    query = (
        select(CallRow.end_reason, seconds, func.count())
        .where(*_window(business_id, since, until), CallRow.person_s.is_not(None))
        .group_by(CallRow.end_reason, seconds)
    )
    return [SecondsCount(reason, int(second), count) for reason, second, count in connection.execute(query)]


def hang_up_seconds(connection: Connection, business_id: int, since: datetime, until: datetime) -> list[SecondsCount]:
    """The hang-ups before a person or a message, by their end reason and the second of the call."""
    seconds = _whole(func.coalesce(CallRow.duration_s, 0)).label("seconds")
    reasons = [reason.value for reason in HUNG_UP]
    query = (
        select(CallRow.end_reason, seconds, func.count())
        .where(*_window(business_id, since, until), CallRow.end_reason.in_(reasons))
        .group_by(CallRow.end_reason, seconds)
    )
    return [SecondsCount(reason, int(second), count) for reason, second, count in connection.execute(query)]


def emergency_calls(
    connection: Connection,
    business_id: int,
    since: datetime,
    until: datetime,
    menu_keys: tuple[str, ...],
    within_s: float,
) -> EmergencyCounts:
    """Calls that took an emergency option (a menu key marked urgent, or the closed message's emergency key), and
    how many of them reached a person within `within_s`. The path is matched as the JSON text the log stores."""
    path = cast(CallRow.path, String)
    patterns = ['%"emergency:_"%', *(f'%"menu:{key}"%' for key in menu_keys)]
    within = func.sum(case((CallRow.person_s <= within_s, 1), else_=0))
    query = select(func.count(), within).where(
        *_window(business_id, since, until), or_(*(path.like(pattern) for pattern in patterns))
    )
    calls, reached = connection.execute(query).one()
    return EmergencyCounts(int(calls or 0), int(reached or 0))

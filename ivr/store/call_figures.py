"""The call log read whole: streamed for the CSV, and counted for the statistics from the counters the writer keeps
per business and hour (ivr.store.figure_rollup): four weeks are a few thousand counters, however many calls.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, func, select, tuple_

from ivr.store.calls import LOGGED_COLUMNS, LoggedCall
from ivr.store.figure_rollup import Kind
from ivr.store.tables import CallFigureRow, CallRow

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
    """Calls that began in one UTC hour and ended for one reason ("" : still going)."""

    hour: datetime
    end_reason: str
    calls: int


def _window(business_id: int, since: datetime, until: datetime) -> tuple[ColumnElement[bool], ...]:
    return (CallFigureRow.business_id == business_id, CallFigureRow.hour >= since, CallFigureRow.hour < until)


def by_hour(connection: Connection, business_id: int, since: datetime, until: datetime) -> list[HourCount]:
    """The end reasons per hour, from the counters (ivr.store.figure_rollup): a row per hour and reason."""
    query = select(CallFigureRow.hour, CallFigureRow.label, CallFigureRow.calls).where(
        *_window(business_id, since, until), CallFigureRow.kind == Kind.REASON.value, CallFigureRow.calls != 0
    )
    return [HourCount(hour, label, calls) for hour, label, calls in connection.execute(query)]


def totals(connection: Connection, business_id: int, since: datetime, until: datetime) -> dict[tuple[str, str], int]:
    """Every other counter summed over the window: (kind, label) -> calls."""
    query = (
        select(CallFigureRow.kind, CallFigureRow.label, func.sum(CallFigureRow.calls))
        .where(*_window(business_id, since, until), CallFigureRow.kind != Kind.REASON.value)
        .group_by(CallFigureRow.kind, CallFigureRow.label)
    )
    return {(kind, label): int(calls) for kind, label, calls in connection.execute(query) if calls}

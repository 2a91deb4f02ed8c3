"""The call log read whole: streamed for the CSV, and counted for the statistics from the counters the writer keeps
per business and hour (ivr.store.figure_rollup): four weeks are a few thousand counters, however many calls.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, String, case, func, select, tuple_, type_coerce

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


def _window(business_id: int, since: datetime, until: datetime) -> tuple[ColumnElement[bool], ...]:
    return (CallFigureRow.business_id == business_id, CallFigureRow.hour >= since, CallFigureRow.hour < until)


def _reasons(business_id: int, since: datetime, until: datetime) -> tuple[ColumnElement[bool], ...]:
    return (*_window(business_id, since, until), CallFigureRow.kind == Kind.REASON.value)


def per_hour(connection: Connection, business_id: int, since: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """The calls that began in each UTC hour (hours without calls left out)."""
    # The hour read as the database gives it (SQLite: text, PostgreSQL: a time with its zone) and converted here:
    # the column type's conversion per row cost more than the query (profiled).
    raw_hour = type_coerce(CallFigureRow.hour, String)
    query = (
        select(raw_hour, func.sum(CallFigureRow.calls)).where(*_reasons(business_id, since, until)).group_by(raw_hour)
    )
    return [(_utc(hour), int(calls)) for hour, calls in connection.execute(query).all() if calls]


def _utc(value: str | datetime) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def per_day(connection: Connection, business_id: int, midnights: list[datetime]) -> list[tuple[int, str, int]]:
    """(day, end reason, calls) for the days between consecutive `midnights` (the business's own, as instants):
    the database sorts the hours into days, so a few hundred rows come back rather than one per hour and reason."""
    day = case(
        *((CallFigureRow.hour < midnight, index) for index, midnight in enumerate(midnights[1:])),
        else_=len(midnights) - 1,
    ).label("day")
    query = (
        select(day, CallFigureRow.label, func.sum(CallFigureRow.calls))
        .where(*_reasons(business_id, midnights[0], midnights[-1]))
        .group_by(day, CallFigureRow.label)
    )
    return [(int(index), label, int(calls)) for index, label, calls in connection.execute(query).all() if calls]


def totals(connection: Connection, business_id: int, since: datetime, until: datetime) -> dict[tuple[str, str], int]:
    """Every other counter summed over the window: (kind, label) -> calls."""
    query = (
        select(CallFigureRow.kind, CallFigureRow.label, func.sum(CallFigureRow.calls))
        .where(
            *_window(business_id, since, until), CallFigureRow.kind.in_([k.value for k in Kind if k is not Kind.REASON])
        )
        .group_by(CallFigureRow.kind, CallFigureRow.label)
    )
    return {(kind, label): int(calls) for kind, label, calls in connection.execute(query).all() if calls}

"""The calendar copies (ivr.store.tables.CalendarCopyRow): written by the worker's calendar job, read by the card
and by the directory, which hands the away spells to the call flow."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from ivr.calendar.away import CalendarEvent
from ivr.store.jobs import utc
from ivr.store.revisions import mark_changed
from ivr.store.tables import CalendarCopyRow


@dataclass(frozen=True)
class CalendarCopy:
    url: str
    events: tuple[CalendarEvent, ...]
    capped: bool
    # None: no good copy yet (the first fetch was refused).
    fetched_at: datetime | None
    checked_at: datetime
    # Why the last fetch was not taken (ivr.calendar.events.Refusal), and the server's or parser's own words.
    problem: str | None = None
    problem_detail: str | None = None


def _stored(events: tuple[CalendarEvent, ...]) -> list[Any]:
    return [[e.start.isoformat(), e.end.isoformat(), e.title, e.away, e.all_day] for e in events]


def _events(stored: list[Any]) -> tuple[CalendarEvent, ...]:
    return tuple(
        CalendarEvent(datetime.fromisoformat(start), datetime.fromisoformat(end), title, bool(away), bool(all_day))
        for start, end, title, away, all_day in stored
    )


def _copy(row: CalendarCopyRow) -> CalendarCopy:
    return CalendarCopy(
        url=row.url,
        events=_events(row.events),
        capped=row.capped,
        fetched_at=utc(row.fetched_at) if row.fetched_at else None,
        checked_at=utc(row.checked_at),
        problem=row.problem,
        problem_detail=row.problem_detail,
    )


def copy_of(session: Session, business_id: int, url: str) -> CalendarCopy | None:
    """The business's copy of the feed at `url` (a copy of another address: None)."""
    row = session.get(CalendarCopyRow, business_id)
    return _copy(row) if row is not None and row.url == url else None


def events_of(connection: Connection, business_id: int, url: str) -> tuple[CalendarEvent, ...]:
    """For the directory (a plain read, no session): the copy's events, none for another address or none stored."""
    query = select(CalendarCopyRow.url, CalendarCopyRow.events).where(CalendarCopyRow.business_id == business_id)
    row = connection.execute(query).one_or_none()
    return _events(row[1]) if row is not None and row[0] == url else ()


def store_good(
    session: Session, business_id: int, url: str, events: tuple[CalendarEvent, ...], capped: bool, now: datetime
) -> bool:
    """A good copy replaces the last; `capped` is kept as a problem to show. True when the events changed, and then
    the transaction tells the servers (mark_changed), so calls follow the new spells."""
    row = session.get(CalendarCopyRow, business_id)
    stored = _stored(events)
    changed = row is None or row.url != url or row.events != stored
    if row is None:
        row = CalendarCopyRow(business_id=business_id, url=url, events=stored, capped=capped, changed_at=now)
        session.add(row)
    row.url, row.events, row.capped = url, stored, capped
    row.fetched_at = row.checked_at = now
    row.problem = row.problem_detail = None
    if changed:
        row.changed_at = now
        mark_changed(session)
    session.flush()
    return changed


def store_refused(session: Session, business_id: int, url: str, problem: str, detail: str, now: datetime) -> None:
    """The fetch was refused: the last good copy stays (calls go on as before), the reason is kept to show."""
    row = session.get(CalendarCopyRow, business_id)
    if row is None or row.url != url:
        if row is not None:
            session.delete(row)
            session.flush()
        row = CalendarCopyRow(business_id=business_id, url=url, events=[], capped=False, changed_at=now)
        session.add(row)
    row.checked_at = now
    row.problem, row.problem_detail = problem, detail[:300]
    session.flush()

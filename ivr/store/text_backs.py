"""The texts sent back to missed mobile callers: whether a caller had one lately, one stored per call, the list."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivr.store.jobs import utc
from ivr.store.tables import TextBackRow


@dataclass(frozen=True)
class TextBack:
    id: int
    caller_number: str
    created_at: datetime
    call_sid: str


def texted_since(session: Session, business_id: int, caller_number: str, since: datetime) -> bool:
    query = select(func.count()).where(
        TextBackRow.business_id == business_id,
        TextBackRow.caller_number == caller_number,
        TextBackRow.created_at >= since,
    )
    return bool(session.scalar(query))


def save(session: Session, business_id: int, caller_number: str, call_sid: str, now: datetime) -> int | None:
    """The new text's id; None when this call has one already."""
    if session.scalar(select(TextBackRow.id).where(TextBackRow.call_sid == call_sid)) is not None:
        return None
    row = TextBackRow(business_id=business_id, caller_number=caller_number, created_at=now, call_sid=call_sid)
    session.add(row)
    session.flush()
    return row.id


def listed(
    session: Session,
    business_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[TextBack]:
    query = select(TextBackRow).where(TextBackRow.business_id == business_id)
    if since is not None:
        query = query.where(TextBackRow.created_at >= since)
    if until is not None:
        query = query.where(TextBackRow.created_at < until)
    rows = session.scalars(query.order_by(TextBackRow.created_at.desc(), TextBackRow.id.desc()).limit(limit))
    return [TextBack(row.id, row.caller_number, utc(row.created_at), row.call_sid) for row in rows]


def get(session: Session, text_back_id: int) -> TextBack | None:
    row = session.get(TextBackRow, text_back_id)
    return TextBack(row.id, row.caller_number, utc(row.created_at), row.call_sid) if row else None

"""A business's greeting library: the recordings it uploaded (its voicemails: ivr.store.voicemails)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.tables import GreetingRecordingRow

# A file name is kept for people to recognise a recording; longer ones are cut (the column's size).
FILE_NAME_CHARS = 200


@dataclass(frozen=True)
class GreetingRecording:
    id: int
    business_id: int
    media_id: str
    file_name: str
    duration_s: float
    report: dict[str, Any]
    created_at: datetime


def _greeting(row: GreetingRecordingRow) -> GreetingRecording:
    return GreetingRecording(
        row.id, row.business_id, row.media_id, row.file_name, row.duration_s, row.report, row.created_at
    )


def add_greeting(
    session: Session,
    *,
    business_id: int,
    media_id: str,
    file_name: str,
    duration_s: float,
    report: dict[str, Any],
    now: datetime,
) -> GreetingRecording:
    row = GreetingRecordingRow(
        business_id=business_id,
        media_id=media_id,
        file_name=file_name[:FILE_NAME_CHARS],
        duration_s=duration_s,
        report=report,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return _greeting(row)


def greetings(session: Session, business_id: int) -> list[GreetingRecording]:
    rows = session.scalars(
        select(GreetingRecordingRow)
        .where(GreetingRecordingRow.business_id == business_id)
        .order_by(GreetingRecordingRow.id)
    )
    return [_greeting(row) for row in rows]


def greeting(session: Session, business_id: int, greeting_id: int) -> GreetingRecording:
    row = session.get(GreetingRecordingRow, greeting_id)
    if row is None or row.business_id != business_id:
        raise NotFoundError("no such greeting")
    return _greeting(row)


def delete_greeting(session: Session, business_id: int, greeting_id: int) -> None:
    row = session.get(GreetingRecordingRow, greeting_id)
    if row is None or row.business_id != business_id:
        raise NotFoundError("no such greeting")
    session.delete(row)

"""A business's uploaded greeting recordings, and its voicemails."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.tables import GreetingRecordingRow, RecordingRow

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


@dataclass(frozen=True)
class VoicemailMessage:
    recording_sid: str
    call_sid: str
    url: str
    duration_s: int | None
    received_at: datetime
    handled_at: datetime | None
    # The box it was left in (overflow, closed, menu:KEY, period:DAY), the caller, and our copy of the audio.
    box: str | None = None
    from_number: str | None = None
    audio_name: str | None = None


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


def voicemails(
    session: Session, business_id: int, *, unhandled_only: bool = False, limit: int | None = None
) -> list[VoicemailMessage]:
    query = select(RecordingRow).where(RecordingRow.business_id == business_id)
    if unhandled_only:
        query = query.where(RecordingRow.handled_at.is_(None))
    rows = session.scalars(query.order_by(RecordingRow.received_at.desc()).limit(limit))
    return [_voicemail(row) for row in rows]


def _voicemail(r: RecordingRow) -> VoicemailMessage:
    return VoicemailMessage(
        r.recording_sid,
        r.call_sid,
        r.url,
        r.duration_s,
        r.received_at,
        r.handled_at,
        r.box,
        r.from_number,
        r.audio_name,
    )


def voicemail(session: Session, business_id: int, recording_sid: str) -> VoicemailMessage:
    """One message of this business; another business's is as unknown as one that never existed."""
    row = session.get(RecordingRow, recording_sid)
    if row is None or row.business_id != business_id:
        raise NotFoundError("no such voicemail")
    return _voicemail(row)


def mark_handled(session: Session, business_id: int, recording_sid: str, now: datetime) -> None:
    row = session.get(RecordingRow, recording_sid)
    if row is None or row.business_id != business_id:
        raise NotFoundError("no such voicemail")
    row.handled_at = row.handled_at or now

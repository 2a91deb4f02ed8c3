"""A business's voicemails: the messages callers left, listed, one by one, and marked handled (our copy of each
recording's audio: ivr.messages.voicemail_copies)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.tables import RecordingRow


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
    # The ring count when the caller was sent to the box after an unanswered dial, as it was then.
    rings: int | None = None


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
        r.rings,
    )


def voicemail(session: Session, business_id: int, recording_sid: str) -> VoicemailMessage:
    """One message of this business; another business's is as unknown as one that never existed."""
    row = session.get(RecordingRow, recording_sid)
    if row is None or row.business_id != business_id:
        raise NotFoundError("no such voicemail")
    return _voicemail(row)


def mark_handled(
    session: Session, business_id: int, recording_sid: str, now: datetime, *, handled: bool = True
) -> None:
    """Handled keeps the first time it was marked so; not handled (a mistake undone) clears it."""
    row = session.get(RecordingRow, recording_sid)
    if row is None or row.business_id != business_id:
        raise NotFoundError("no such voicemail")
    row.handled_at = (row.handled_at or now) if handled else None

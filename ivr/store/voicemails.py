"""A business's voicemails: the messages callers left, listed, one by one, and marked handled (our copy of each
recording's audio: ivr.messages.voicemail_copies)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.tables import RecordingRow
from ivr.store.transcripts import IS_A_MESSAGE


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
    # Its words (issue 22, ivr.store.transcripts): status None when no engine was set.
    transcript_status: str | None = None
    transcript: str | None = None
    transcript_language: str | None = None
    urgent: bool = False


def voicemails(
    session: Session,
    business_id: int,
    *,
    unhandled_only: bool = False,
    limit: int | None = None,
    words: str | None = None,
) -> list[VoicemailMessage]:
    """Urgent ones first, then newest first. `words`: only messages whose transcript holds them (any case)."""
    query = select(RecordingRow).where(RecordingRow.business_id == business_id, IS_A_MESSAGE)
    if unhandled_only:
        query = query.where(RecordingRow.handled_at.is_(None))
    if words and words.strip():
        pattern = "%" + _escaped(" ".join(words.split()).lower()) + "%"
        query = query.where(func.lower(RecordingRow.transcript).like(pattern, escape="\\"))
    urgent_first = func.coalesce(RecordingRow.urgent, false()).desc()
    rows = session.scalars(query.order_by(urgent_first, RecordingRow.received_at.desc()).limit(limit))
    return [_voicemail(row) for row in rows]


def from_caller(
    session: Session, business_id: int, number: str, since: datetime, until: datetime
) -> list[VoicemailMessage]:
    """One caller's messages in a time range (the console's "earlier today"), newest first."""
    query = select(RecordingRow).where(
        RecordingRow.business_id == business_id,
        IS_A_MESSAGE,
        RecordingRow.from_number == number,
        RecordingRow.received_at >= since,
        RecordingRow.received_at < until,
    )
    return [_voicemail(row) for row in session.scalars(query.order_by(RecordingRow.received_at.desc()).limit(50))]


def _escaped(text: str) -> str:
    """LIKE's own characters taken literally: a search for "100%" finds "100%", not everything."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
        r.transcript_status,
        r.transcript,
        r.transcript_language,
        bool(r.urgent),
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

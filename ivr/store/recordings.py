"""Voicemail recordings as Twilio's callbacks and our copies report them: one row per recording, stored once."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from ivr.store.tables import RecordingRow


def save_recording(
    session: Session,
    *,
    recording_sid: str,
    call_sid: str,
    business_id: int | None,
    url: str,
    duration_s: int | None,
    status: str,
    received_at: datetime,
    box: str | None = None,
    from_number: str | None = None,
    route: tuple[str, ...] = (),
    rings: int | None = None,
) -> bool:
    """Store a voicemail recording's callback once; Twilio retries callbacks, so a repeat changes nothing.

    Returns whether it was new.
    """
    existing = session.get(RecordingRow, recording_sid)
    if existing is not None:
        # The <Record> action carries the caller's number; the status callback, often first, does not.
        existing.from_number = existing.from_number or from_number
        existing.route = existing.route or list(route) or None
        existing.rings = existing.rings or rings
        return False
    session.add(
        RecordingRow(
            recording_sid=recording_sid,
            call_sid=call_sid,
            business_id=business_id,
            url=url,
            duration_s=duration_s,
            status=status,
            received_at=received_at,
            box=box,
            from_number=from_number,
            route=list(route) or None,
            rings=rings,
        )
    )
    return True


@dataclass(frozen=True)
class StoredRecording:
    recording_sid: str
    call_sid: str
    business_id: int | None
    box: str | None
    url: str
    duration_s: int | None
    from_number: str | None
    received_at: datetime
    audio_name: str | None
    # The route its webhooks carried and the ring count then (empty and None for a message taken in before they were
    # kept, or by the reconciler).
    route: tuple[str, ...] = ()
    rings: int | None = None
    # Its words (ivr.store.transcripts); status None when no engine was set.
    transcript_status: str | None = None
    transcript: str | None = None
    transcript_language: str | None = None
    transcript_cut_short: bool = False
    urgent: bool = False


def get_recording(session: Session, recording_sid: str) -> StoredRecording | None:
    row = session.get(RecordingRow, recording_sid)
    if row is None:
        return None
    return StoredRecording(
        row.recording_sid,
        row.call_sid,
        row.business_id,
        row.box,
        row.url,
        row.duration_s,
        row.from_number,
        row.received_at,
        row.audio_name,
        tuple(row.route or ()),
        row.rings,
        row.transcript_status,
        row.transcript,
        row.transcript_language,
        bool(row.transcript_cut_short),
        bool(row.urgent),
    )


def recording_kept(session: Session, recording_sid: str, audio_name: str, now: datetime) -> None:
    """Our private copy of the audio is stored and checked."""
    session.execute(
        update(RecordingRow)
        .where(RecordingRow.recording_sid == recording_sid)
        .values(audio_name=audio_name, stored_at=now)
    )

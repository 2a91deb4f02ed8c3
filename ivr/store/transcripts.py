"""A voicemail's words (issue 22), stored on its recording's row so they are shown and deleted with it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, or_, update
from sqlalchemy.orm import Session

from ivr.store.jobs import JobState
from ivr.store.tables import JobRow, RecordingRow


class TranscriptStatus(StrEnum):
    # As the API names them; NONE is stored as NULL (no engine was set when the message came).
    NONE = "none"
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    # No one spoke: not a message (no e-mail, no text; the call counts as one that reached nobody).
    NO_SPEECH = "no_speech"


# A recording that is a message: any but one found to hold no speech (the inbox, the summary, missed-call notes).
IS_A_MESSAGE: ColumnElement[bool] = or_(
    RecordingRow.transcript_status.is_(None), RecordingRow.transcript_status != TranscriptStatus.NO_SPEECH.value
)


def _set(session: Session, recording_sid: str, **values: object) -> None:
    session.execute(update(RecordingRow).where(RecordingRow.recording_sid == recording_sid).values(**values))


def pending(session: Session, recording_sid: str) -> None:
    _set(session, recording_sid, transcript_status=TranscriptStatus.PENDING.value)


def done(
    session: Session,
    recording_sid: str,
    *,
    text: str,
    language: str,
    confidence: float | None,
    cut_short: bool,
    urgent: bool,
) -> None:
    _set(
        session,
        recording_sid,
        transcript_status=TranscriptStatus.DONE.value,
        transcript=text,
        transcript_language=language,
        transcript_confidence=confidence,
        transcript_cut_short=cut_short,
        urgent=urgent,
    )


def failed(session: Session, recording_sid: str) -> None:
    _set(session, recording_sid, transcript_status=TranscriptStatus.FAILED.value)


def no_speech(session: Session, recording_sid: str) -> None:
    _set(session, recording_sid, transcript_status=TranscriptStatus.NO_SPEECH.value, transcript=None)


def release_deliveries(session: Session, recording_sid: str, kinds: tuple[str, ...], now: datetime) -> None:
    """The message's e-mails and texts were held back for its transcript: let them go now."""
    session.execute(
        update(JobRow)
        .where(JobRow.subject == recording_sid, JobRow.kind.in_(kinds), JobRow.state == JobState.PENDING.value)
        .where(JobRow.attempts == 0, JobRow.next_attempt_at > now)
        .values(next_attempt_at=now)
    )


def status_of(stored: str | None) -> TranscriptStatus:
    return TranscriptStatus(stored) if stored else TranscriptStatus.NONE

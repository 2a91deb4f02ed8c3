"""The inbox: a business's voicemail messages with how each delivery stands, as the admin page and the API show them.

One function for both faces, so the page and the API never disagree about whether a message reached someone.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from ivr.jobs.model import PRINTED
from ivr.messages.call_notes import CALL_NOTE_EMAIL, CALL_NOTE_SMS
from ivr.messages.outbox import URGENT, VOICEMAIL_EMAIL, VOICEMAIL_SMS
from ivr.store import cards, jobs, voicemails
from ivr.store.jobs import JobState, JobStatus, StoredProblem, utc
from ivr.store.transcripts import TranscriptStatus, status_of

# The newest messages a page lists; older ones stay stored (and in the API with a larger limit).
MESSAGES_SHOWN = 200


class DeliveryState(StrEnum):
    WAITING = "waiting"  # queued, not tried yet
    SENDING = "sending"  # a worker has it in hand now
    RETRYING = "retrying"  # tried and failed; tried again at next_attempt_at
    SENT = "sent"
    # Printed on the server's console instead of sent: no SMTP server or Twilio account (`make run`, issue 21).
    PRINTED = "printed"
    FAILED = "failed"  # given up (24 h of failures, or refused for good)


@dataclass(frozen=True)
class Delivery:
    channel: str  # "email" or "sms"
    to: str
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime | None
    finished_at: datetime | None
    error: str | None  # in English, for the API
    # The same as data (ivr.messages.failures.DeliveryCode): the page says it in the visitor's language.
    problem: StoredProblem | None = None


@dataclass(frozen=True)
class InboxMessage:
    recording_sid: str
    call_sid: str
    # Twilio's copy of the recording (deleted there when GREETLINE_TWILIO_DELETE_RECORDINGS is set).
    url: str
    box: str | None
    caller: str | None
    received_at: datetime
    duration_s: int | None
    handled_at: datetime | None
    # Our private copy is stored: the inbox can play it.
    audio_kept: bool
    deliveries: tuple[Delivery, ...]
    # The ring count an unanswered dial rang with before the box, as it was then (None: not told).
    rings: int | None = None
    # What the caller said (issue 22): none (no engine), pending, done or failed; the words once done.
    transcript_status: TranscriptStatus = TranscriptStatus.NONE
    transcript: str | None = None
    transcript_language: str | None = None
    urgent: bool = False


_CHANNELS = {
    VOICEMAIL_EMAIL: ("email", "address"),
    VOICEMAIL_SMS: ("sms", "number"),
    CALL_NOTE_EMAIL: ("email", "address"),
    CALL_NOTE_SMS: ("sms", "number"),
}


def delivery(job: JobStatus) -> Delivery | None:
    """How a delivery job stands, in the inbox's terms; None for a job that delivers to nobody."""
    if job.kind not in _CHANNELS:
        return None
    channel, recipient = _CHANNELS[job.kind]
    if job.state == JobState.DONE:
        state = DeliveryState.PRINTED if job.done_as == PRINTED else DeliveryState.SENT
    elif job.state == JobState.FAILED:
        state = DeliveryState.FAILED
    elif job.state == JobState.RUNNING:
        state = DeliveryState.SENDING
    else:
        state = DeliveryState.RETRYING if job.attempts else DeliveryState.WAITING
    return Delivery(
        channel,
        str(job.args.get(recipient, "")),
        state,
        job.attempts,
        job.next_attempt_at if state in (DeliveryState.WAITING, DeliveryState.RETRYING) else None,
        job.finished_at,
        job.last_error if state in (DeliveryState.RETRYING, DeliveryState.FAILED) else None,
        job.last_problem if state in (DeliveryState.RETRYING, DeliveryState.FAILED) else None,
    )


def _message(found: voicemails.VoicemailMessage, statuses: list[JobStatus]) -> InboxMessage:
    # A text for urgent messages only is no delivery of one that is not urgent.
    statuses = [status for status in statuses if status.args.get("only_if") != URGENT or found.urgent]
    deliveries = tuple(d for d in map(delivery, statuses) if d is not None)
    return InboxMessage(
        found.recording_sid,
        found.call_sid,
        found.url,
        found.box,
        found.from_number,
        utc(found.received_at),
        found.duration_s,
        utc(found.handled_at) if found.handled_at else None,
        found.audio_name is not None,
        deliveries,
        found.rings,
        status_of(found.transcript_status),
        found.transcript if found.transcript_status == TranscriptStatus.DONE else None,
        found.transcript_language if found.transcript_status == TranscriptStatus.DONE else None,
        found.urgent,
    )


def messages(
    session: Session,
    business_id: int,
    *,
    unhandled_only: bool = False,
    limit: int = MESSAGES_SHOWN,
    words: str | None = None,
) -> list[InboxMessage]:
    """The business's messages, urgent ones first, then newest first, each with its deliveries (two queries,
    whatever the count). `words`: only those whose transcript holds them."""
    found = voicemails.voicemails(session, business_id, unhandled_only=unhandled_only, limit=limit, words=words)
    statuses = jobs.for_subjects(session, [m.recording_sid for m in found])
    return [_message(m, statuses.get(m.recording_sid, [])) for m in found]


def message(session: Session, business_id: int, recording_sid: str) -> InboxMessage:
    """One message of this business; NotFoundError for another business's, as for one that never existed."""
    found = voicemails.voicemail(session, business_id, recording_sid)
    return _message(found, jobs.for_subject(session, recording_sid))


@dataclass(frozen=True)
class InboxNote:
    """A call note from the answering service, with how its deliveries stand."""

    note_id: str
    caller_name: str
    caller_number: str | None
    message: str
    urgent: bool
    written_at: datetime
    handled_at: datetime | None
    deliveries: tuple[Delivery, ...]


def call_notes(session: Session, business_id: int, *, limit: int = MESSAGES_SHOWN) -> list[InboxNote]:
    """The business's call notes, newest first, each with its deliveries (two queries)."""
    found = cards.notes(session, business_id, limit=limit)
    statuses = jobs.for_subjects(session, [note.note_id for note in found])
    return [
        InboxNote(
            note.note_id,
            note.caller_name,
            note.caller_number,
            note.message,
            note.urgent,
            note.created_at,
            note.handled_at,
            tuple(d for d in map(delivery, statuses.get(note.note_id, [])) if d is not None),
        )
        for note in found
    ]

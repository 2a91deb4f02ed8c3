"""Taking a left message in: the message and all its deliveries in one transaction, once per RecordingSid."""

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ivr.callflow.model import Voicemail
from ivr.messages.outbox import LeftMessage, voicemail_jobs
from ivr.store import calls, jobs, recordings, transcripts
from ivr.store.database import Database
from ivr.store.tables import RecordingRow


def take_in(
    database: Database,
    message: LeftMessage,
    box: Voicemail,
    domain: str,
    now: datetime,
    transcribe_wait_s: float | None = None,
) -> bool:
    """Store the message and its pending deliveries; returns whether it was new (a repeat stores nothing).

    `transcribe_wait_s`: a transcriber is set (ivr.messages.transcription); the message's words are pending, and
    its e-mails and texts wait for them this long at most.

    Raises whatever the database raises: the caller answers 5xx, and Twilio's next try finds it again.
    """
    try:
        with database.transaction() as session:
            if message.from_number is None:  # the status callback does not say; the call log does
                call = calls.get(session, message.call_sid)
                message = replace(message, from_number=call.from_number if call else None)
            new = recordings.save_recording(
                session,
                recording_sid=message.recording_sid,
                call_sid=message.call_sid,
                business_id=message.business_id,
                url=message.url,
                duration_s=message.duration_s,
                status="completed",
                # The time the caller left it, not when it reached us: a reconciled one comes up to hours later.
                received_at=message.started_at or now,
                box=message.box,
                from_number=message.from_number,
                route=message.route,
                rings=message.rings,
            )
            if new:
                until = None if transcribe_wait_s is None else now + timedelta(seconds=transcribe_wait_s)
                jobs.enqueue(session, voicemail_jobs(message, box, domain, until), now)
                if until is not None:
                    session.flush()
                    transcripts.pending(session, message.recording_sid)
            return new
    except IntegrityError:
        # The other recording webhook for this message committed between our read and our write.
        with database.transaction() as session:
            if session.get(RecordingRow, message.recording_sid) is not None:
                return False
        raise

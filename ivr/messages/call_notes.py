"""Call notes from the answering service: taken in from its card, then delivered like a voicemail message.

An e-mail to every address of the overflow's `notes:`, and an SMS to its numbers only for a note marked urgent
(an SMS interrupts; a routine note can wait for the mailbox). The deliveries are jobs in the same outbox as
voicemail, so they are retried, listed in the inbox with their state, and missed in the daily summary when failed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ivr.document.model import BusinessDocument
from ivr.jobs.model import PermanentFailure
from ivr.jobs.worker import Handler
from ivr.messages import compose
from ivr.messages.failures import DeliveryCode
from ivr.messages.notes import stored_document
from ivr.messages.outbox import message_id
from ivr.messages.senders import Senders
from ivr.store import cards, jobs
from ivr.store.cards import CallNote
from ivr.store.database import Database
from ivr.store.jobs import JobSpec

CALL_NOTE_EMAIL = "call-note-email"
CALL_NOTE_SMS = "call-note-sms"


@dataclass(frozen=True)
class NoteInput:
    """What the service typed, already checked (ivr.web.card): a name, maybe a number, the message, urgent or not."""

    caller_name: str
    caller_number: str | None
    message: str
    urgent: bool


def note_jobs(note: CallNote, document: BusinessDocument, domain: str) -> list[JobSpec]:
    box = document.overflow.notes if document.overflow else None
    if box is None:
        return []

    def spec(kind: str, recipient: str, **args: str) -> JobSpec:
        return JobSpec(
            f"{kind}:{note.note_id}:{recipient}",
            kind,
            {"note_id": note.note_id, **args},
            note.business_id,
            note.note_id,
        )

    found = [
        spec(
            CALL_NOTE_EMAIL, address, address=address, message_id=message_id("callnote", note.note_id, address, domain)
        )
        for address in box.email
    ]
    if note.urgent:
        found += [spec(CALL_NOTE_SMS, number, number=number) for number in box.sms]
    return found


def take_note(
    database: Database, business_id: int, typed: NoteInput, now: datetime, domain: str, call_sid: str | None = None
) -> tuple[CallNote, int]:
    """Store the note and queue its deliveries in one transaction; returns the note and how many deliveries.
    `call_sid`: the call it was written for (the console's notes)."""
    note = CallNote(
        cards.new_note_id(),
        business_id,
        typed.caller_name,
        typed.caller_number,
        typed.message,
        typed.urgent,
        now,
        call_sid=call_sid,
    )
    document = stored_document(database, business_id)
    specs = note_jobs(note, document, domain)
    with database.transaction() as session:
        cards.add_note(session, note)
        jobs.enqueue(session, specs, now)
    return note, len(specs)


def inbox_note_url(public_url: str, note_id: str) -> str:
    return f"{public_url}/admin/messages#{note_id}"


class CallNoteDeliveries:
    def __init__(self, database: Database, senders: Senders, *, public_url: str, clock: Callable[[], datetime]):
        self._database = database
        self._senders = senders
        self._public_url = public_url
        self._clock = clock

    def handlers(self) -> dict[str, Handler]:
        return {CALL_NOTE_EMAIL: self.email, CALL_NOTE_SMS: self.sms}

    def _facts(self, note_id: str) -> tuple[compose.CallNoteFacts, BusinessDocument]:
        with self._database.transaction() as session:
            note = cards.get_note(session, note_id)
        if note is None:
            raise PermanentFailure(f"no stored call note {note_id}", DeliveryCode.MESSAGE_GONE)
        document = stored_document(self._database, note.business_id)
        facts = compose.CallNoteFacts(
            business=document.business,
            language=document.language,
            timezone=document.timezone,
            country=document.country,
            caller_name=note.caller_name,
            caller_number=note.caller_number,
            message=note.message,
            urgent=note.urgent,
            written_at=note.created_at,
            inbox_url=inbox_note_url(self._public_url, note.note_id),
        )
        return facts, document

    def email(self, args: dict[str, Any]) -> str | None:
        facts, _document = self._facts(args["note_id"])
        return self._senders.mailer.send(
            compose.call_note_email(facts, args["address"], args["message_id"]), self._senders.mail_from
        )

    def sms(self, args: dict[str, Any]) -> str | None:
        facts, document = self._facts(args["note_id"])
        sender = self._senders.sms_from or document.numbers[0]
        return self._senders.texts.send(compose.call_note_sms(facts, args["number"], sender))

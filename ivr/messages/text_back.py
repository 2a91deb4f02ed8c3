"""A text back to a missed mobile caller: which ended calls deserve one (plain data in, a reason or none out), and
the jobs that decide after the call and send through the outbox.

One SMS to a caller who reached nobody and left no message or callback request, only to a mobile number (by its
numbering plan), at most once per caller per business in 24 hours, never to a withheld number, never after the call
was answered, never to a blocked caller or for a simulated call.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ivr.callflow.steps import Outcome
from ivr.document.phones import is_mobile
from ivr.jobs.model import PermanentFailure
from ivr.jobs.worker import Handler
from ivr.messages.compose import Sms, reached_a_human
from ivr.messages.failures import DeliveryCode
from ivr.messages.notes import stored_document
from ivr.messages.senders import Senders
from ivr.store import callbacks, calls, jobs, text_backs
from ivr.store.database import Database
from ivr.store.jobs import JobSpec
from ivr.store.tables import RecordingRow
from ivr.store.transcripts import IS_A_MESSAGE

TEXT_BACK = "text-back"
TEXT_BACK_SMS = "text-back-sms"
# At most one text per caller per business in this time: a caller who tries three times in a morning gets one.
TEXT_BACK_EVERY = timedelta(hours=24)
# A call's recording callback can come some seconds after its final status: decide only once it would have.
EARLIEST_AFTER = timedelta(seconds=60)
CALLBACK_OUTCOME, BLOCKED_OUTCOME = Outcome.CALLBACK.value, Outcome.BLOCKED.value


class NoTextBack(StrEnum):
    """Why an ended call gets no text back."""

    SIMULATED = "simulated"
    WITHHELD = "withheld"
    BLOCKED = "blocked"
    ANSWERED = "answered"
    MESSAGE = "message"
    CALLBACK = "callback"
    NOT_MOBILE = "not mobile"
    TEXTED_LATELY = "texted lately"


@dataclass(frozen=True)
class EndedCall:
    caller: str  # E.164, "" when withheld
    outcome: str | None
    path: tuple[str, ...]
    simulated: bool = False
    left_message: bool = False
    asked_callback: bool = False


def no_text_back(call: EndedCall, *, mobile: bool, texted_lately: bool) -> NoTextBack | None:
    """None: the caller gets the text back; else why not (the first reason that holds)."""
    checks = (
        (call.simulated, NoTextBack.SIMULATED),
        (not call.caller, NoTextBack.WITHHELD),
        (call.outcome == BLOCKED_OUTCOME, NoTextBack.BLOCKED),
        (reached_a_human(call.path, call.outcome), NoTextBack.ANSWERED),
        (call.left_message, NoTextBack.MESSAGE),
        (call.asked_callback or call.outcome == CALLBACK_OUTCOME, NoTextBack.CALLBACK),
        (not mobile, NoTextBack.NOT_MOBILE),
        (texted_lately, NoTextBack.TEXTED_LATELY),
    )
    return next((reason for holds, reason in checks if holds), None)


def text_back_check(call_sid: str, business_id: int, now: datetime, after_s: int) -> JobSpec:
    """The look at the ended call, `after_s` after it ended (no sooner than its recording callback would come)."""
    wait = max(timedelta(seconds=after_s), EARLIEST_AFTER)
    args = {"call_sid": call_sid, "business_id": business_id}
    return JobSpec(f"{TEXT_BACK}:{call_sid}", TEXT_BACK, args, business_id, call_sid, not_before=now + wait)


def text_back_body(text: str, business: str) -> str:
    return text.replace("{business}", business)


class TextBacks:
    def __init__(self, database: Database, senders: Senders, *, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._senders = senders
        self._clock = clock

    def handlers(self) -> dict[str, Handler]:
        return {TEXT_BACK: self.check, TEXT_BACK_SMS: self.send}

    def check(self, args: dict[str, Any]) -> None:
        """Decide and, if due, store the text and queue its sending, in one transaction (the outbox)."""
        call_sid, business_id, now = args["call_sid"], args["business_id"], self._clock()
        document = stored_document(self._database, business_id)
        if document.text_back is None:  # switched off since the call
            return
        with self._database.transaction() as session:
            call = calls.get(session, call_sid)
            if call is None:
                return
            left = session.query(RecordingRow).filter(RecordingRow.call_sid == call_sid, IS_A_MESSAGE).count() > 0
            ended = EndedCall(
                call.from_number,
                call.outcome,
                tuple(call.path),
                call.simulated,
                left,
                callbacks.asked_in_call(session, call_sid),
            )
            lately = bool(call.from_number) and text_backs.texted_since(
                session, business_id, call.from_number, now - TEXT_BACK_EVERY
            )
            if no_text_back(ended, mobile=is_mobile(call.from_number), texted_lately=lately) is not None:
                return
            text_id = text_backs.save(session, business_id, call.from_number, call_sid, now)
            if text_id is not None:
                sms_args = {"text_back_id": text_id, "business_id": business_id}
                spec = JobSpec(f"{TEXT_BACK_SMS}:{text_id}", TEXT_BACK_SMS, sms_args, business_id, call_sid)
                jobs.enqueue(session, [spec], now)

    def send(self, args: dict[str, Any]) -> None:
        with self._database.transaction() as session:
            found = text_backs.get(session, args["text_back_id"])
        if found is None:
            raise PermanentFailure(f"no text back {args['text_back_id']}", DeliveryCode.MESSAGE_GONE)
        document = stored_document(self._database, args["business_id"])
        if document.text_back is None:
            return
        sender = self._senders.sms_from or document.numbers[0]
        body = text_back_body(document.text_back.text, document.business)
        self._senders.texts.send(Sms(found.caller_number, body, sender))

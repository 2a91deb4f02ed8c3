"""Taking a callback request in and delivering it: the request and all its deliveries in one transaction, once per
call; an e-mail per address and a text per number of the document's callback: key, through the outbox."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.jobs.model import PermanentFailure
from ivr.jobs.worker import Handler
from ivr.messages.compose import Email, Sms, caller_text, local_time_text, texts
from ivr.messages.failures import DeliveryCode
from ivr.messages.notes import stored_document
from ivr.messages.outbox import message_id
from ivr.messages.senders import Senders
from ivr.store import businesses, callbacks, jobs
from ivr.store.callbacks import CallbackRequest
from ivr.store.database import Database
from ivr.store.jobs import JobSpec

CALLBACK_EMAIL = "callback-email"
CALLBACK_SMS = "callback-sms"


def callbacks_url(public_url: str) -> str:
    """The inbox's list of callback requests."""
    return f"{public_url.rstrip('/')}/admin/callbacks"


def take_request(
    database: Database, business_id: int, number: str, call_sid: str | None, domain: str, now: datetime
) -> int | None:
    """Store the request and queue its deliveries; the new request's id, None when this call's is stored already.

    Raises whatever the database raises: the webhook then answers its fallback (the caller still reaches someone)."""
    with database.transaction() as session:
        document = validate_document(businesses.get(session, business_id).document)
        request_id = callbacks.save(session, business_id, number, call_sid, now)
        if request_id is None or document.callback is None:
            return request_id
        subject = f"callback-{request_id}"

        def spec(kind: str, recipient: str, **args: str) -> JobSpec:
            key = f"{kind}:{request_id}:{recipient}"
            return JobSpec(key, kind, {"request_id": request_id, **args}, business_id, subject)

        found = [
            spec(CALLBACK_EMAIL, address, address=address, message_id=message_id("callback", subject, address, domain))
            for address in document.callback.email
        ]
        found += [spec(CALLBACK_SMS, number_, number=number_) for number_ in document.callback.sms]
        jobs.enqueue(session, found, now)
        return request_id


@dataclass(frozen=True)
class CallbackFacts:
    business: str
    language: str
    timezone: str
    country: str
    number: str
    asked_at: datetime
    link: str


def callback_email(facts: CallbackFacts, address: str, message_id_: str) -> Email:
    words = texts(facts.language)
    caller = caller_text(facts.number, facts.country, facts.language)
    lines = [
        words["callback_intro"].format(caller=caller, business=facts.business),
        "",
        f"{words['call_back']}: tel:{facts.number} ({caller})",
        f"{words['time']}: {local_time_text(facts.asked_at, facts.timezone, facts.language)}",
        "",
        words["callback_done_hint"],
        facts.link,
    ]
    subject = words["callback_subject"].format(business=facts.business, caller=caller)
    return Email(address, subject, "\n".join(lines) + "\n", message_id_)


def callback_sms(facts: CallbackFacts, number: str, sender: str) -> Sms:
    words = texts(facts.language)
    body = words["callback_sms"].format(
        business=facts.business,
        caller=caller_text(facts.number, facts.country, facts.language),
        time=local_time_text(facts.asked_at, facts.timezone, facts.language),
        link=facts.link,
    )
    return Sms(number, body, sender)


class CallbackDeliveries:
    def __init__(self, database: Database, senders: Senders, *, public_url: str, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._senders = senders
        self._public_url = public_url
        self._clock = clock

    def handlers(self) -> dict[str, Handler]:
        return {CALLBACK_EMAIL: self.email, CALLBACK_SMS: self.sms}

    def _facts(self, request_id: int) -> tuple[CallbackFacts, BusinessDocument]:
        with self._database.transaction() as session:
            request: CallbackRequest | None = callbacks.get(session, request_id)
        if request is None:
            raise PermanentFailure(f"no callback request {request_id}", DeliveryCode.MESSAGE_GONE)
        document = stored_document(self._database, request.business_id)
        facts = CallbackFacts(
            document.business,
            document.language,
            document.timezone,
            document.country,
            request.caller_number,
            request.created_at,
            callbacks_url(self._public_url),
        )
        return facts, document

    def email(self, args: dict[str, Any]) -> None:
        facts, _document = self._facts(args["request_id"])
        mail = callback_email(facts, args["address"], args["message_id"])
        self._senders.mailer.send(mail, self._senders.mail_from)

    def sms(self, args: dict[str, Any]) -> None:
        facts, document = self._facts(args["request_id"])
        sender = self._senders.sms_from or document.numbers[0]
        self._senders.texts.send(callback_sms(facts, args["number"], sender))

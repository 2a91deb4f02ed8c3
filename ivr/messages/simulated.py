"""A simulated call's messages: composed as a real call's would be, printed, never stored or sent.

`greetline call` (and the simulator against a server, `--url`) marks every request it signs with the simulator's
field (ivr.simulator.SIMULATED_CALL_FIELD). A simulated call's voicemail is not taken into the outbox and its end
queues no missed-call check: a configured SMTP server or Twilio account must never carry a test call's message to
the business's real addresses. What they would have received is printed instead, the way the console senders
print deliveries when no SMTP server or Twilio account is configured.
"""

import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime
from typing import TextIO

from ivr.callflow.model import Voicemail
from ivr.document.phones import is_mobile
from ivr.messages import compose
from ivr.messages.callback_requests import CallbackFacts, callback_email, callback_sms
from ivr.messages.notes import call_facts, stored_document
from ivr.messages.outbox import LeftMessage, message_domain, message_id
from ivr.messages.senders import ConsoleMailer, ConsoleTexts
from ivr.messages.text_back import EndedCall, no_text_back, text_back_body
from ivr.store import calls
from ivr.store.calls import LoggedCall
from ivr.store.database import Database

# Printed in place of the console senders' "no GREETLINE_SMTP_URL": the reason nothing was sent.
NOT_SENT = "simulated call; not sent"
# Both recording webhooks describe one message; the calls remembered to print it once (a server's simulations).
REMEMBERED_CALLS = 1000


class SimulatedMessages:
    """`stream`: where the messages go (the CLI's own buffer; a server's standard output by default)."""

    def __init__(
        self,
        database: Database,
        *,
        public_url: str,
        mail_from: str,
        sms_from: str | None,
        stream: TextIO | None = None,
    ) -> None:
        self._database = database
        # No message is stored, so the e-mails link to the call log, where the call is listed as a test call.
        self._inbox_url = f"{public_url}/admin/calls"
        self._domain = message_domain(public_url)
        self._mail_from = mail_from
        self._sms_from = sms_from
        self._mailer = ConsoleMailer(stream, reason=NOT_SENT)
        self._texts = ConsoleTexts(stream, reason=NOT_SENT)
        # Calls that left a message (by call sid): their end gets no missed-call note, as with real calls.
        self._messages: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, message: LeftMessage) -> bool:
        """The call left this message (its end gets no missed-call note); whether it is the first time told."""
        with self._lock:
            if self._messages.get(message.call_sid) == message.recording_sid:
                return False
            self._messages[message.call_sid] = message.recording_sid
            while len(self._messages) > REMEMBERED_CALLS:
                self._messages.popitem(last=False)
            return True

    def voicemail(self, message: LeftMessage, box: Voicemail, now: datetime) -> None:
        """The e-mails and texts the message would make (ivr.messages.outbox.voicemail_jobs), printed. The call log
        must hold the call's steps already (its path is the route the e-mail tells)."""
        if not self.remember(message):
            return
        document = stored_document(self._database, message.business_id)
        with self._database.transaction() as session:
            call = calls.get(session, message.call_sid)
        logged = call or LoggedCall(message.call_sid, message.business_id, "", "", now, [], None, None, None, True)
        facts = replace(
            call_facts(document, logged, self._inbox_url),
            caller=message.from_number or logged.from_number or None,
            duration_s=message.duration_s,
        )
        sid = message.recording_sid
        for address in box.emails:
            voicemail_id = message_id("voicemail", sid, address, self._domain)
            self._mailer.send(compose.voicemail_email(facts, address, voicemail_id, attached=False), self._mail_from)
        for number in box.sms:
            self._texts.send(compose.voicemail_sms(facts, number, self._sms_from or document.numbers[0]))

    def call_ended(self, call_sid: str, business_id: int) -> None:
        """The missed-call note (ivr.messages.notes.Notes.missed_call) and the text back (ivr.messages.text_back),
        printed, for a call that reached nobody and left no message. The call log must hold the call's end already.
        A simulated caller was never texted before: the once-a-day rule is not asked."""
        with self._lock:
            if call_sid in self._messages:
                return
        with self._database.transaction() as session:
            call = calls.get(session, call_sid)
        if call is None:
            return
        document = stored_document(self._database, business_id)
        if compose.missed_note_due(tuple(call.path), call.outcome):
            facts = call_facts(document, call, self._inbox_url)
            for address in document.missed_calls.email if document.missed_calls else []:
                mail = compose.missed_call_email(facts, address, message_id("missed", call_sid, address, self._domain))
                self._mailer.send(mail, self._mail_from)
        ended = EndedCall(call.from_number, call.outcome, tuple(call.path))
        if document.text_back and no_text_back(ended, mobile=is_mobile(call.from_number), texted_lately=False) is None:
            body = text_back_body(document.text_back.text, document.business)
            self._texts.send(compose.Sms(call.from_number, body, self._sms_from or document.numbers[0]))

    def callback_request(self, business_id: int, number: str, now: datetime) -> None:
        """The e-mails and texts a callback request would make (ivr.messages.callback_requests), printed."""
        document = stored_document(self._database, business_id)
        if document.callback is None:
            return
        facts = CallbackFacts(
            document.business, document.language, document.timezone, document.country, number, now, self._inbox_url
        )
        for address in document.callback.email:
            request_id = message_id("callback", "simulated", address, self._domain)
            self._mailer.send(callback_email(facts, address, request_id), self._mail_from)
        for to in document.callback.sms:
            self._texts.send(callback_sms(facts, to, self._sms_from or document.numbers[0]))

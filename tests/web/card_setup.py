"""A served app for the answering service's card: a business whose overflow is an answering service with
instructions and a Christmas period, calls made the signed Twilio way, mail to a real SMTP server, SMS to the
local fake of Twilio's Messages API, and the job worker run on demand with an injected clock."""

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI

from ivr.card.link import card_link
from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio
from tests.local_server import running_server
from tests.twilio_client import TwilioLikeClient
from tests.web.inbox_setup import PUBLIC_URL, delivering

# Tuesday 24 November 2026, 10:15 in Amsterdam.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
BUSINESS_NUMBER = "+31201234567"
SERVICE_NUMBER = "+31208888888"
EMAIL, PASSWORD = "balie@jansen.example", "een-lang-wachtwoord"
CARD_DOCUMENT = f"""\
business: Installatiebedrijf Jansen
numbers: ["{BUSINESS_NUMBER}"]
language: nl
operators: ["+31501111111"]
menu:
  - {{key: "1", prompt: "Voor spoed, toets 1.", dial: ["+31502222222"], emergency: true, label: spoed}}
  - {{key: "2", prompt: "Voor afspraken, toets 2.", dial: ["+31503333333"]}}
hours: {{mon-fri: "08:00-17:00"}}
overflow: {{dial: "{SERVICE_NUMBER}", notes: {{email: [kantoor@jansen.example], sms: ["+31687654321"]}}}}
instructions:
  text: "Afspraken alleen op dinsdag."
  urgent: "Monteur Piet, 06 1111 2222."
periods:
  - from: 2026-12-24
    to: 2027-01-01
    greeting: {{text: "Wij zijn met kerstvakantie."}}
    dial: "{SERVICE_NUMBER}"
    instructions: {{text: "Kerstsluiting: alleen storingen aannemen."}}
daily_summary: {{email: [jan@jansen.example], at: "17:30"}}
"""


@dataclass
class CardServer:
    url: str
    app: FastAPI
    settings: Settings
    database: Database
    clock: FakeClock
    twilio: TwilioLikeClient
    business_id: int
    card_url: str

    @property
    def token(self) -> str:
        return self.card_url.rsplit("/", 1)[1]

    def call_to_service(self, caller: str, key: str | None) -> str:
        """A call whose caller presses `key` (or nothing); unless it goes to the service at once (closed, a
        period), nobody answers; the service takes it and hears the whisper its <Number url> names: its words."""
        call = "CA" + secrets.token_hex(16)
        form = {"CallSid": call, "From": caller, "To": BUSINESS_NUMBER}
        answer = self.twilio.post("/twilio/voice", form).text
        ended = "/twilio/dial-ended?stage=operators"
        if key is not None:
            answer = self.twilio.post("/twilio/menu?attempt=1", {**form, "Digits": key}).text
            ended = f"/twilio/dial-ended?key={key}&stage=option"
        if 'url="' not in answer:  # staff phones ring first; nobody answers
            answer = self.twilio.post(ended, {**form, "DialCallStatus": "no-answer"}).text
        whisper_url = re.search(r'url="([^"]+)"', answer)
        assert whisper_url is not None, answer
        path = whisper_url.group(1).replace("&amp;", "&").removeprefix(PUBLIC_URL)
        leg = {"CallSid": "CA" + secrets.token_hex(16), "ParentCallSid": call, "To": SERVICE_NUMBER, "From": caller}
        heard = self.twilio.post(path, leg).text
        self.app.state.services.call_log.flush()
        said = re.search(r"<Say[^>]*>([^<]+)</Say>", heard)
        assert said is not None, heard
        return said.group(1)

    def run_worker(self) -> int:
        return make_worker(self.settings, self.database, self.clock).run_due()


@contextmanager
def card_server(
    settings: Settings, mail_server: MailServer, fake_twilio: FakeTwilio, tmp_path: Path, language: str = "nl"
) -> Iterator[CardServer]:
    served = delivering(settings, mail_server, fake_twilio, tmp_path)
    database = Database(served.database_url)
    document = CARD_DOCUMENT.replace("language: nl", f"language: {language}")
    business_id = apply_text(database, document, NOW).stored.id
    with database.transaction() as session:
        staff.set_login(session, business_id=business_id, email=EMAIL, password=PASSWORD, now=NOW)
    link = card_link(database, business_id, PUBLIC_URL, NOW, rotate=False)
    assert link.url is not None
    clock = FakeClock(NOW)
    app = create_app(served, clock=clock, database=database)
    try:
        with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
            yield CardServer(
                url, app, served, database, clock, TwilioLikeClient(http, public_url=PUBLIC_URL), business_id, link.url
            )
    finally:
        database.dispose()

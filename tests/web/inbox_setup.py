"""A served app with two businesses and their staff, where messages are left the real way: a signed call and
recording status callback, Twilio's REST API faked on 127.0.0.1 serving the MP3, mail to a real SMTP server, and
the job worker run with an injected clock so our copy of the recording is stored and the deliveries made."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI

from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store import keys, staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.local_server import running_server
from tests.messages.documents import BUSINESS_NUMBER, apply_after_call_document, call_sid, recording_sid
from tests.twilio_client import TwilioLikeClient
from tests.web.test_admin import SAVE_WAITS_FOR_SPEECH_S

# Tuesday 24 November 2026, 10:15 in Amsterdam.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
# Plain http, so the session cookie is not marked Secure and the clients send it back.
PUBLIC_URL = "http://greetline.test"
EMAIL, PASSWORD = "balie@jansen.example", "een-lang-wachtwoord"
OTHER_EMAIL = "assistent@delinde.example"


@dataclass
class Inbox:
    url: str
    app: FastAPI
    settings: Settings
    database: Database
    clock: FakeClock
    twilio: TwilioLikeClient
    business_id: int
    other_id: int
    key: str
    other_key: str
    fake_twilio: FakeTwilio

    def leave_message(self, caller: str = "+31611112222", duration_s: int = 74, audio: bytes | None = None) -> str:
        """A call rings the staff unanswered, overflows to voicemail; Twilio's status callback reports it."""
        call = call_sid()
        form = {"CallSid": call, "From": caller, "To": BUSINESS_NUMBER}
        self.twilio.post("/twilio/voice", form)
        self.twilio.post("/twilio/dial-ended?stage=operators", {**form, "DialCallStatus": "no-answer"})
        self.app.state.services.call_log.flush()
        sid = recording_sid()
        url = self.fake_twilio.add_recording(sid, call, duration_s, audio=audio)
        callback = {"CallSid": call, "From": "", "RecordingSid": sid, "RecordingUrl": url}
        answer = self.twilio.post(
            f"/twilio/recording?business={self.business_id}&box=overflow",
            {**callback, "RecordingDuration": str(duration_s)},
        )
        assert answer.status_code == 201, answer.text
        return sid

    def run_worker(self) -> int:
        return make_worker(self.settings, self.database, self.clock).run_due()


def log_in(http: httpx.Client, email: str = EMAIL) -> str:
    """Logs in; returns the CSRF token of the session."""
    page = http.get("/admin/login").text
    token = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = http.post("/admin/login", data={"email": email, "password": PASSWORD, "csrf": token})
    assert answer.status_code == 303, answer.text
    page = http.get("/admin/messages").text
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def delivering(settings: Settings, mail_server: MailServer, fake_twilio: FakeTwilio, tmp_path: Path) -> Settings:
    """Settings that deliver to the local SMTP server and fake Twilio; the worker is run by the test."""
    return settings.model_copy(
        update={
            "public_url": PUBLIC_URL,
            "smtp_url": mail_server.url,
            "mail_from": "Greetline <voicemail@greetline.test>",
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_api_url": fake_twilio.base_url,
            "voicemail_dir": tmp_path / "voicemail",
            "embedded_worker": False,
            "tts_engines": ("espeak",),
            "speaking_grace_s": SAVE_WAITS_FOR_SPEECH_S,
        }
    )


@contextmanager
def inbox_server(
    settings: Settings, demo_text: str, mail_server: MailServer, fake_twilio: FakeTwilio, tmp_path: Path
) -> Iterator[Inbox]:
    served = delivering(settings, mail_server, fake_twilio, tmp_path)
    database = Database(served.database_url)
    business_id = apply_after_call_document(database, NOW)
    other_id = apply_text(database, demo_text, NOW).stored.id
    with database.transaction() as session:
        staff.set_login(session, business_id=business_id, email=EMAIL, password=PASSWORD, now=NOW)
        staff.set_login(session, business_id=other_id, email=OTHER_EMAIL, password=PASSWORD, now=NOW)
        _, key = keys.create(session, business_id=business_id, label="balie", now=NOW)
        _, other_key = keys.create(session, business_id=other_id, label="", now=NOW)
    clock = FakeClock(NOW)
    app = create_app(served, clock=clock, database=database)
    try:
        with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
            inbox = Inbox(
                url,
                app,
                served,
                database,
                clock,
                TwilioLikeClient(http, public_url=PUBLIC_URL),
                business_id,
                other_id,
                key,
                other_key,
                fake_twilio,
            )
            yield inbox
    finally:
        database.dispose()

"""A business whose voicemail is transcribed, with every remote part on 127.0.0.1: Twilio's REST API, the mail
server, and (for the remote engine) an OpenAI-compatible transcription API."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ivr.jobs.worker import Worker
from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store import keys
from ivr.store.database import Database
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.messages.documents import BUSINESS_NUMBER, apply_after_call_document, call_sid, recording_sid
from tests.twilio_client import TwilioLikeClient

# Tuesday 24 November 2026, 10:15 in Amsterdam.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
CALLER = "+31611112222"


def after_call_settings(
    settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Settings:
    return settings.model_copy(
        update={
            "smtp_url": mail_server.url,
            "mail_from": "Greetline <voicemail@greetline.test>",
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_api_url": twilio_api.base_url,
            "voicemail_dir": tmp_path / "voicemail",
            "embedded_worker": False,
        }
    )


def after_call_database(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    apply_after_call_document(database, NOW)
    yield database
    database.dispose()


def leave_message(app: FastAPI, client: TwilioLikeClient, twilio_api: FakeTwilio, audio: bytes) -> str:
    """A caller reaches nobody and leaves `audio`; Twilio reports the recording (status callback only)."""
    sid, call = recording_sid(), call_sid()
    call_form = {"CallSid": call, "From": CALLER, "To": BUSINESS_NUMBER}
    client.post("/twilio/voice", call_form)
    client.post("/twilio/dial-ended?stage=operators", {**call_form, "DialCallStatus": "no-answer"})
    app.state.services.call_log.flush()
    url = twilio_api.add_recording(sid, call, audio=audio)
    form = {"CallSid": call, "From": "", "RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": "12"}
    assert client.post("/twilio/recording?business=1&box=overflow", form).status_code == 201
    return sid


def worker(settings: Settings, database: Database, clock: FakeClock) -> Worker:
    return make_worker(settings, database, clock)


def api_voicemails(app: FastAPI, database: Database, **params: str) -> list[dict[str, object]]:
    with database.transaction() as session:
        _, key = keys.create(session, business_id=1, label="test", now=NOW)
    http = TestClient(app)  # no lifespan: the app's background threads are started once, by the test's client
    answer = http.get("/api/v1/businesses/1/voicemails", params=params, headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200
    found: list[dict[str, object]] = answer.json()
    return found

"""A past call is described as it happened, not with today's settings (issue 20, item 8): real HTTP, SQLite and
PostgreSQL."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import keys, staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.clock import FakeClock
from tests.local_server import running_server
from tests.messages.documents import AFTER_CALL_DOCUMENT, BUSINESS_NUMBER, call_sid, recording_sid
from tests.twilio_client import TwilioLikeClient
from tests.web.test_admin import EMAIL, PASSWORD, PUBLIC_URL, log_in

TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DEMO_NUMBER = "+31501234567"


@dataclass
class Line:
    http: httpx.Client
    twilio: TwilioLikeClient
    business_id: int
    key: str

    clock: FakeClock

    def api(self, method: str, path: str, body: object = None) -> httpx.Response:
        url = f"/api/v1/businesses/{self.business_id}{path}"
        return self.http.request(method, url, headers={"Authorization": f"Bearer {self.key}"}, json=body)


def serving(settings: Settings, database: Database, document: str) -> Iterator[Line]:
    business = apply_text(database, document, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
        _, key = keys.create(session, business_id=business.id, label="assistant", now=TUESDAY_10)
    update = {
        "database_url": database.url,
        "public_url": PUBLIC_URL,
        "tts_engines": ("espeak",),
        "embedded_worker": False,
    }
    clock = FakeClock(TUESDAY_10)
    app = create_app(settings.model_copy(update=update), clock=clock)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield Line(http, TwilioLikeClient(http, public_url=PUBLIC_URL), business.id, key, clock)


@pytest.fixture
def line(settings: Settings, database: Database, demo_text: str) -> Iterator[Line]:
    yield from serving(settings, database, demo_text)


@pytest.fixture
def boxed_line(settings: Settings, database: Database) -> Iterator[Line]:
    yield from serving(settings, database, AFTER_CALL_DOCUMENT)


def test_a_call_that_rang_4_times_still_reads_4_after_the_ring_count_changes(line: Line) -> None:
    call = {"CallSid": call_sid(), "From": "+31612345678", "To": DEMO_NUMBER}
    line.twilio.post("/twilio/voice", call)
    line.twilio.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "no-answer"})
    log_in(line.http)
    assert "na 4 keer overgaan" in line.http.get("/admin/calls").text

    assert line.api("PUT", "/rings", {"rings": 3}).status_code == 200
    page = line.http.get("/admin/calls").text
    assert "na 4 keer overgaan" in page and "na 3 keer overgaan" not in page
    logged = line.api("GET", "/calls").json()
    assert [(c["call_sid"], c["rings"], c["box"]) for c in logged] == [(call["CallSid"], 4, None)]

    # A call after the change rings 3 times and says so; the first still says 4.
    line.clock.advance(60)
    later = {**call, "CallSid": call_sid()}
    line.twilio.post("/twilio/voice", later)
    line.twilio.post("/twilio/dial-ended?stage=operators", {**later, "DialCallStatus": "no-answer"})
    page = line.http.get("/admin/calls").text
    assert "na 4 keer overgaan" in page and "na 3 keer overgaan" in page
    assert [c["rings"] for c in line.api("GET", "/calls").json()] == [3, 4]


def test_a_message_left_after_4_rings_still_says_4_in_the_inbox_and_the_log_keeps_its_box(boxed_line: Line) -> None:
    line = boxed_line
    call = {"CallSid": call_sid(), "From": "+31612345678", "To": BUSINESS_NUMBER}
    line.twilio.post("/twilio/voice", call)
    twiml = line.twilio.post("/twilio/dial-ended?stage=operators", {**call, "DialCallStatus": "no-answer"}).text
    callback = re.search(r'recordingStatusCallback="[^"]*(/twilio/recording\?[^"]+)"', twiml)
    assert callback is not None
    sid = recording_sid()
    url = f"https://api.twilio.com/2010-04-01/Accounts/AC{'1' * 32}/Recordings/{sid}"
    form = {"CallSid": call["CallSid"], "RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": "20"}
    assert line.twilio.post(callback[1].replace("&amp;", "&"), form).status_code == 201
    assert line.api("PUT", "/rings", {"rings": 3}).status_code == 200
    log_in(line.http)
    inbox = line.http.get(f"/admin/messages/{sid}").text
    assert "na 4 keer overgaan" in inbox and "na 3 keer overgaan" not in inbox
    logged = line.api("GET", "/calls").json()
    assert [(c["rings"], c["box"]) for c in logged] == [(4, "overflow")]


def test_a_message_left_at_menu_option_2_keeps_its_words_after_the_menu_changes(
    boxed_line: Line, database: Database
) -> None:
    """The inbox names the option by its prompt when the caller pressed it, not by today's (issue 20 item 8)."""
    line = boxed_line
    call = {"CallSid": call_sid(), "From": "+31612345678", "To": BUSINESS_NUMBER}
    line.twilio.post("/twilio/voice", call)
    twiml = line.twilio.post("/twilio/menu?attempt=1", {**call, "Digits": "2"}).text
    callback = re.search(r'recordingStatusCallback="[^"]*(/twilio/recording\?[^"]+)"', twiml)
    assert callback is not None
    sid = recording_sid()
    url = f"https://api.twilio.com/2010-04-01/Accounts/AC{'1' * 32}/Recordings/{sid}"
    form = {"CallSid": call["CallSid"], "RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": "20"}
    assert line.twilio.post(callback[1].replace("&amp;", "&"), form).status_code == 201
    changed = AFTER_CALL_DOCUMENT.replace("Voor offertes, toets 2.", "Voor klachten, toets 2.")
    apply_text(database, changed, datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    log_in(line.http)
    inbox = line.http.get(f"/admin/messages/{sid}").text
    assert "voor offertes" in inbox and "voor klachten" not in inbox

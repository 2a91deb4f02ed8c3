"""A save answers at once while its new text is being spoken ("wordt ingesproken…"); callers hear the text through
<Say> until the recording is ready, then the recording; the page asks /admin/speaking and shows itself anew. Google
out of reach is remembered: the next text goes straight to the offline engine. Google here is the fake on
127.0.0.1 that never answers (tests/fakes/google_tts.py), then espeak-ng speaks."""

from collections.abc import Iterator

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.fakes.google_tts import FakeCertificates, FakeGoogleTranslate, Reply
from tests.local_server import running_server
from tests.twilio_client import TwilioLikeClient
from tests.web.test_admin import EMAIL, PASSWORD, PUBLIC_URL, TUESDAY_10, log_in

pytest_plugins = ["tests.fakes.google_tts"]

# Google's answer is waited for this long (one attempt): far past the page's grace (ivr.web.speaking), so the save
# cannot have waited for the recording if it answers "being spoken".
GOOGLE_TIMEOUT_S = 6.0
# Rounds of /admin/speaking's longest wait (25 s) before giving up: speaking on a busy machine is slow.
ASKS = 6
NOTICE = "Heeft u koorts of hoest u? Bel dan eerst even voor u langskomt."
SECOND = "Wij zijn op werkdagen bereikbaar van acht tot half zes."


@pytest.fixture
def slow_google_admin(
    settings: Settings, demo_text: str, google: FakeGoogleTranslate, google_certificates: FakeCertificates
) -> Iterator[tuple[httpx.Client, FakeGoogleTranslate]]:
    google.default = Reply.STALL
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    speech = {
        "public_url": PUBLIC_URL,
        "tts_engines": ("gtts", "espeak"),
        "tts_proxy_url": google.proxy_url,
        "tts_tls_ca_path": google_certificates.ca_path,
        "tts_timeout_s": GOOGLE_TIMEOUT_S,
        "tts_retries": 0,
        "speaking_grace_s": Settings.model_fields["speaking_grace_s"].default,  # the product's own
    }
    app = create_app(settings.model_copy(update=speech), clock=lambda: TUESDAY_10)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http, google


def spoken_at_last(admin: httpx.Client) -> None:
    for _ask in range(ASKS):
        if not admin.get("/admin/speaking", params={"wait_s": 25}).json()["busy"]:
            return
    raise AssertionError(f"still being spoken after {ASKS} asks")


def test_a_save_answers_at_once_and_the_page_shows_the_recording_when_ready(
    slow_google_admin: tuple[httpx.Client, FakeGoogleTranslate],
) -> None:
    admin, google = slow_google_admin
    token = log_in(admin)
    saved = admin.post("/admin/texts/info", data={"info_text": NOTICE, "info_on": "on", "csrf": token})
    assert saved.status_code == 200
    assert "Opgeslagen" in saved.text and '<span id="being-spoken">Wordt ingesproken' in saved.text
    assert admin.get("/admin/speaking").json() == {"busy": True}
    heard = TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    assert f">{NOTICE}</Say>" in heard  # saved and heard at once, through <Say> until the recording is ready

    spoken_at_last(admin)
    page = admin.get("/admin/texts").text
    assert 'id="info-spoken"><audio' in page and '<span id="being-spoken">' not in page
    heard = TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    assert f">{NOTICE}</Say>" not in heard and ".wav</Play>" in heard
    assert len(google.seen) == 1  # Google was asked once, and gave nothing

    # Google out of reach is remembered: the next text is not sent there, and espeak-ng speaks it at once.
    again = admin.post("/admin/texts/info", data={"info_text": SECOND, "info_on": "on", "csrf": token})
    assert again.status_code == 200
    spoken_at_last(admin)
    assert len(google.seen) == 1

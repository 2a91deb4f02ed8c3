"""The admin page over real HTTP: login, CSRF, and changes that the next call hears."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from ivr.applying import apply_text
from ivr.settings import Settings
from ivr.simulator.local_server import running_server
from ivr.store import businesses, calls, staff
from ivr.store.database import Database
from ivr.web.app import create_app
from tests.audio.signals import speech_wav
from tests.twilio_client import TwilioLikeClient

TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "assistent@delinde.nl", "een-lang-wachtwoord"
# Plain http here, so the session cookie is not marked Secure and the test client sends it back.
PUBLIC_URL = "http://greetline.test"


@pytest.fixture
def admin(settings: Settings, demo_text: str) -> Iterator[httpx.Client]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    app = create_app(settings.model_copy(update={"public_url": PUBLIC_URL}), clock=lambda: TUESDAY_10)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


def csrf(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def log_in(http: httpx.Client) -> str:
    token = csrf(http.get("/admin/login").text)
    response = http.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": token})
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    return csrf(http.get("/admin").text)


def test_pages_need_a_login(admin: httpx.Client) -> None:
    for path in ["/admin", "/admin/settings", "/admin/greetings", "/admin/calls"]:
        response = admin.get(path)
        assert (response.status_code, response.headers.get("location")) == (303, "/admin/login"), path


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(admin: httpx.Client) -> None:
    token = csrf(admin.get("/admin/login").text)
    response = admin.post("/admin/login", data={"email": EMAIL, "password": "wrong-password", "csrf": token})
    assert response.status_code == 401 and "E-mailadres of wachtwoord klopt niet." in response.text


def test_forms_without_the_csrf_token_are_refused(admin: httpx.Client) -> None:
    log_in(admin)
    assert admin.post("/admin/settings/rings", data={"rings": "3", "csrf": "forged"}).status_code == 403
    assert "4 keer overgaan" in admin.get("/admin/settings").text  # unchanged


def test_the_ring_count_changes_what_the_next_call_hears(admin: httpx.Client) -> None:
    token = log_in(admin)
    page = admin.post("/admin/settings/rings", data={"rings": "3", "csrf": token})
    assert page.status_code == 200
    assert "3 keer overgaan is ongeveer 15 seconden." in page.text
    assert "timeout 10 s" in page.text  # the transcript on the page follows
    assert 'timeout="10"' in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text


def test_a_bad_number_is_shown_and_nothing_is_lost(admin: httpx.Client) -> None:
    token = log_in(admin)
    page = admin.post("/admin/settings/phones", data={"operators": "0501111111", "ring": "sequential", "csrf": token})
    assert page.status_code == 422 and "is not an international number" in page.text
    assert "+31501111111" in admin.get("/admin/settings").text


def test_a_holiday_period_is_added_and_heard(admin: httpx.Client) -> None:
    token = log_in(admin)
    data = {
        "start": "2026-11-24",
        "end": "2026-11-25",
        "text": "Vandaag zijn wij gesloten, u belt de waarneming.",
        "dial": "+31209999999",
        "csrf": token,
    }
    page = admin.post("/admin/settings/periods", data=data)
    assert page.status_code == 200 and "2026-11-24 \u2013 2026-11-25" in page.text
    assert "Vandaag zijn wij gesloten" in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    # The demo's Christmas period is first, the new one second; a page showing an older list removes nothing.
    stale = admin.post("/admin/settings/periods/1/delete", data={"start": "2026-12-24", "csrf": token})
    assert stale.status_code == 422 and "2026-11-24 \u2013 2026-11-25" in stale.text
    removed = admin.post("/admin/settings/periods/1/delete", data={"start": "2026-11-24", "csrf": token})
    assert removed.status_code == 200 and "2026-11-24 \u2013 2026-11-25" not in removed.text
    assert "Vandaag zijn wij gesloten" not in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text


def test_english_on_request(admin: httpx.Client) -> None:
    log_in(admin)
    admin.get("/admin/language/en")
    assert "4 rings is about 20 seconds." in admin.get("/admin/settings").text


def stored_document(settings: Settings) -> dict[str, Any]:
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            (found,) = businesses.all_businesses(session)
            return found.document
    finally:
        database.dispose()


def test_what_a_caller_hears_is_shown_but_not_logged_as_a_call(admin: httpx.Client, settings: Settings) -> None:
    log_in(admin)
    for _ in range(2):
        dashboard = admin.get("/admin").text
        assert "Goedemorgen, u spreekt met Huisartsenpraktijk De Linde." in dashboard
        assert "timeout 15 s" in admin.get("/admin/settings").text
    assert "Nog geen." in dashboard.split("Gesprekken vandaag")[1]
    database = Database(settings.database_url)
    with database.transaction() as session:
        assert calls.recent(session, 1) == []
    database.dispose()


def test_the_language_switch_returns_to_the_page_and_never_to_another_site(admin: httpx.Client) -> None:
    log_in(admin)
    settings_page = str(admin.base_url.join("/admin/settings?x=1"))
    back = admin.get("/admin/language/en", headers={"Referer": settings_page})
    assert back.headers["location"] == "/admin/settings?x=1"
    for elsewhere in ["https://evil.example/admin", "https://evil.example/phish", "/twilio/voice"]:
        away = admin.get("/admin/language/nl", headers={"Referer": elsewhere})
        assert away.headers["location"] == "/admin", elsewhere


def test_the_ring_count_means_seconds_and_warnings_before_it_is_saved(admin: httpx.Client) -> None:
    log_in(admin)
    three = admin.get("/admin/settings/rings/meaning", params={"rings": 3}).json()
    assert (three["text"], three["warnings"]) == ("3 keer overgaan is ongeveer 15 seconden.", [])
    seven = admin.get("/admin/settings/rings/meaning", params={"rings": 7}).json()
    assert seven["ringing_s"] == 35 and any("most callers hang up" in warning for warning in seven["warnings"])
    assert admin.get("/admin/settings/rings/meaning", params={"rings": 11}).status_code == 422
    assert "4 keer overgaan" in admin.get("/admin/settings").text  # asking saved nothing


def test_the_overflow_is_changed_only_when_asked_and_never_lost(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    phones = {"operators": "+31501111111\n+31 50 222 2222", "ring": "sequential", "csrf": token}
    boxes = ["praktijk@example.nl", "dokter@example.nl"]
    voicemail = {"overflow_kind": "voicemail", "overflow_email": ", ".join(boxes)}
    assert admin.post("/admin/settings/phones", data={**phones, **voicemail}).status_code == 200
    assert stored_document(settings)["overflow"] == {"voicemail": {"email": boxes}}
    page = admin.post("/admin/settings/phones", data=phones)  # a form that does not mention the overflow
    assert page.status_code == 200 and 'value="voicemail" checked' in page.text
    assert stored_document(settings)["overflow"] == {"voicemail": {"email": boxes}}
    two = {"overflow_kind": "dial", "overflow_dial": "+31208888888; +31209999999"}
    admin.post("/admin/settings/phones", data={**phones, **two})
    assert stored_document(settings)["overflow"] == {"dial": ["+31208888888", "+31209999999"]}
    assert stored_document(settings)["operators"] == ["+31501111111", "+31502222222"]
    admin.post("/admin/settings/phones", data={**phones, "overflow_kind": "none"})
    assert "overflow" not in stored_document(settings)


def test_greetings_are_uploaded_chosen_and_deleted_and_a_refused_file_changes_nothing(
    admin: httpx.Client, settings: Settings, tmp_path: Path
) -> None:
    token = log_in(admin)
    uploads = {}
    for name, words in [("eerste.wav", "Goedemorgen, u spreekt met De Linde."), ("tweede.wav", "Dag, De Linde.")]:
        voice = speech_wav(tmp_path / name, words).read_bytes()
        page = admin.post("/admin/greetings/upload", data={"csrf": token}, files={"recording": (name, voice)})
        assert page.status_code == 200 and "Opgeslagen." in page.text
        uploads[name] = stored_document(settings)["greeting"]["media"]
    page = admin.get("/admin/greetings").text
    assert page.index("tweede.wav") < page.index("eerste.wav")  # the one in use first
    loudness = [float(x) for x in re.findall(r"Luidheid (-?[0-9.]+) LUFS", page)]
    assert loudness and all(abs(lufs + 19) <= 0.5 for lufs in loudness)  # measured on the stored files
    (first_id,) = [int(x) for x in re.findall(r'action="/admin/greetings/(\d+)/active"', page)]  # not in use
    assert admin.post(f"/admin/greetings/{first_id}/active", data={"csrf": token}).status_code == 303
    assert stored_document(settings)["greeting"] == {"file": "eerste.wav", "media": uploads["eerste.wav"]}
    assert uploads["eerste.wav"] in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    in_use = admin.post(f"/admin/greetings/{first_id}/delete", data={"csrf": token})
    assert in_use.status_code == 409 and "in gebruik" in in_use.text
    before = stored_document(settings)
    refused = admin.post(
        "/admin/greetings/upload", data={"csrf": token}, files={"recording": ("kapot.mp3", b"not audio at all")}
    )
    assert refused.status_code == 422 and "not an audio format" in refused.text
    assert stored_document(settings) == before
    (second_id,) = [int(x) for x in re.findall(r'action="/admin/greetings/(\d+)/delete"', refused.text)]
    assert admin.post(f"/admin/greetings/{second_id}/delete", data={"csrf": token}).status_code == 303
    assert "tweede.wav" not in admin.get("/admin/greetings").text
    other = admin.post("/admin/greetings/999/active", data={"csrf": token})
    assert other.status_code == 404


def test_the_call_log_is_filtered_by_day_and_outcome(admin: httpx.Client) -> None:
    log_in(admin)
    twilio = TwilioLikeClient(admin, public_url=PUBLIC_URL)
    twilio.post("/twilio/voice", {"CallSid": "CAtoday", "From": "+31612345678"})
    for params, shown in [
        ({}, True),
        ({"day": "2026-11-24"}, True),
        ({"day": "2026-11-23"}, False),
        ({"day": "2026-11-24", "outcome": "voicemail"}, False),
        ({"outcome": "nonsense"}, True),  # an unknown outcome filters nothing out
    ]:
        page = admin.get("/admin/calls", params=params)
        assert page.status_code == 200 and ("+31612345678" in page.text) is shown, params


def test_a_period_asking_for_a_message_nobody_records_is_refused_with_its_path(admin: httpx.Client) -> None:
    token = log_in(admin)
    data = {"start": "2036-07-01", "end": "2036-07-14", "text": "Spreek na de toon een bericht in.", "csrf": token}
    page = admin.post("/admin/settings/periods", data=data)
    assert page.status_code == 422
    assert "periode 2036-07-01 t/m 2036-07-14 \u2192 tekst vraagt om een bericht \u2192 ophangen" in page.text
    assert "2036-07-01" not in admin.get("/admin/settings").text

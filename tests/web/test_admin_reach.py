"""Settings that only YAML or the API could reach, now on the admin page (issue 21): staff pressing 1, which public
holidays close and the region, the answering service's note addresses, a period changed in place and its emergency
key, API keys, a message marked not handled again, and the landline forwarding codes. Over real HTTP, in the page's
language."""

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from ivr.callflow.model import Voicemail
from ivr.messages.call_notes import NoteInput, take_note
from ivr.messages.intake import take_in
from ivr.messages.outbox import LeftMessage
from ivr.settings import Settings
from ivr.store import businesses, keys, staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.audio.signals import speech_wav
from tests.local_server import running_server
from tests.twilio_client import TwilioLikeClient
from tests.web.test_admin import EMAIL as DEMO_EMAIL
from tests.web.test_admin import PASSWORD as DEMO_PASSWORD
from tests.web.test_admin import PUBLIC_URL, TUESDAY_10, csrf, log_in, stored_document

SID = "RE" + "1" * 32
GERMAN = """
business: Sanitär Schulte
numbers: ["+4922112345678"]
language: de
country: DE
operators: ["+491701234567"]
overflow: {voicemail: {email: [buero@schulte.example]}}
hours: {mon-fri: "08:00-17:00"}
holidays: true
"""
EMAIL, PASSWORD = "buero@schulte.example", "ein-langes-passwort"


def _served(settings: Settings, document: str, email: str, password: str) -> Iterator[httpx.Client]:
    database = Database(settings.database_url)
    business = apply_text(database, document, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=email, password=password, now=TUESDAY_10)
    database.dispose()
    # Speech from espeak-ng on this machine: Google's endpoint is outside 127.0.0.1.
    local_speech = {"public_url": PUBLIC_URL, "tts_engines": ("espeak",)}
    app = create_app(settings.model_copy(update=local_speech), clock=lambda: TUESDAY_10)
    # A saved text is spoken before the page answers: every text of the business, the first time (slow when busy).
    with running_server(app) as url, httpx.Client(base_url=url, timeout=180) as http:
        yield http


@pytest.fixture
def admin(settings: Settings, demo_text: str) -> Iterator[httpx.Client]:
    """The demo business's page; log_in logs in."""
    yield from _served(settings, demo_text, DEMO_EMAIL, DEMO_PASSWORD)


def refusal_at(page: str, field: str) -> str:
    found = re.search(rf'<p id="{field}-error" class="field-error">([^<]*)</p>', page)
    assert found is not None, f"no refusal at {field}"
    return html.unescape(found.group(1))


def test_staff_press_1_is_previewed_then_saved_and_unticked(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    phones = {"operators": "+31501111111\n+31502222222", "ring": "simultaneous", "csrf": token}
    before = stored_document(settings)
    previewed = admin.post("/admin/settings/phones", data={**phones, "confirm": "on", "intent": "preview"})
    assert previewed.status_code == 200 and "Nog niet opgeslagen" in previewed.text
    assert 'name="confirm" value="on" checked' in previewed.text and stored_document(settings) == before
    saved = admin.post("/admin/settings/phones", data={**phones, "confirm": "on", "intent": "save"})
    assert saved.status_code == 200 and stored_document(settings)["confirm"] is True
    assert stored_document(settings)["overflow"] == before["overflow"]  # the note addresses stay
    admin.post("/admin/settings/phones", data={**phones, "intent": "save"})
    assert stored_document(settings)["confirm"] is False


def test_the_public_holidays_that_close_are_chosen_by_name_and_date(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    page = admin.get("/admin/settings").text
    assert 'name="chosen" value="Koningsdag"' in page and 'name="holidays_mode" value="all" checked' in page
    assert '<option value="" selected>' not in page and '<option value="Noord" translate="no">' in page
    chosen = {"holidays_mode": "chosen", "chosen": ["Koningsdag", "Eerste kerstdag"], "other": "12-31", "csrf": token}
    saved = admin.post("/admin/settings/holidays", data={**chosen, "intent": "save"})
    assert saved.status_code == 200, refusal_at(saved.text, "holidays")
    assert stored_document(settings)["holidays"] == ["Koningsdag", "Eerste kerstdag", "12-31"]
    assert 'name="chosen" value="Koningsdag" checked' in saved.text and 'value="12-31"' in saved.text
    assert 'name="chosen" value="Hemelvaartsdag">' in saved.text  # not ticked
    empty = admin.post("/admin/settings/holidays", data={"holidays_mode": "chosen", "csrf": token})
    assert empty.status_code == 422 and "Vink de feestdagen aan" in refusal_at(empty.text, "holidays")
    wrong = admin.post("/admin/settings/holidays", data={**chosen, "other": "13-45", "intent": "save"})
    assert wrong.status_code == 422 and "13-45" in refusal_at(wrong.text, "holidays")
    assert stored_document(settings)["holidays"] == ["Koningsdag", "Eerste kerstdag", "12-31"]
    never = admin.post("/admin/settings/holidays", data={"holidays_mode": "none", "csrf": token, "intent": "save"})
    assert never.status_code == 200 and stored_document(settings)["holidays"] is False


@pytest.fixture
def german(settings: Settings) -> Iterator[httpx.Client]:
    for http in _served(settings, GERMAN, EMAIL, PASSWORD):
        token = csrf(http.get("/admin/login").text)
        http.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": token})
        yield http


def test_a_region_adds_its_own_holidays_and_one_without_it_is_refused_in_german(
    german: httpx.Client, settings: Settings
) -> None:
    token = csrf(german.get("/admin/settings").text)
    page = german.get("/admin/settings").text
    assert '<option value="NW" translate="no">NW: Nordrhein-Westfalen</option>' in page
    assert 'value="Fronleichnam"' not in page  # not a holiday of the whole country
    regional = {"holidays_mode": "chosen", "chosen": ["Fronleichnam"], "region": "", "csrf": token}
    refused = german.post("/admin/settings/holidays", data={**regional, "intent": "save"})
    assert refused.status_code == 422
    assert "Fronleichnam ist nur in einigen Regionen ein Feiertag" in refusal_at(refused.text, "holidays")
    assert "region" not in stored_document(settings)
    saved = german.post("/admin/settings/holidays", data={**regional, "region": "NW", "intent": "save"})
    assert saved.status_code == 200, saved.text
    stored = stored_document(settings)
    assert (stored["region"], stored["holidays"]) == ("NW", ["Fronleichnam"])
    assert 'value="Fronleichnam" checked' in saved.text and '<option value="NW" selected' in saved.text


def test_the_answering_services_note_addresses_are_previewed_saved_and_refused_at_their_field(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    notes = {"notes_email": "kantoor@delinde.nl, dokter@delinde.nl", "notes_sms": "06 1111 2222", "csrf": token}
    previewed = admin.post("/admin/answering/notes", data={**notes, "intent": "preview"})
    assert previewed.status_code == 200 and 'id="week"' in previewed.text and stored_document(settings) == before
    saved = admin.post("/admin/answering/notes", data={**notes, "intent": "save"})
    assert saved.status_code == 200
    assert stored_document(settings)["overflow"] == {
        "dial": before["overflow"]["dial"],
        "notes": {"email": ["kantoor@delinde.nl", "dokter@delinde.nl"], "sms": ["+31611112222"]},
    }
    bad = admin.post("/admin/answering/notes", data={**notes, "notes_email": "geen-adres", "intent": "save"})
    assert bad.status_code == 422 and "geen-adres is geen e-mailadres" in refusal_at(bad.text, "notes")
    cleared = admin.post("/admin/answering/notes", data={"csrf": token, "intent": "save"})
    assert cleared.status_code == 200 and "notes" not in stored_document(settings)["overflow"]


def test_a_period_is_changed_in_place_keeping_what_the_form_does_not_show(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    before = stored_document(settings)["periods"][0]
    form = admin.get("/admin/settings", params={"period": 0}).text
    assert 'action="/admin/settings/periods/0"' in form and 'name="original" value="2026-12-24"' in form
    assert 'value="U spreekt met Huisartsenpraktijk De Linde. Tijdens de feestdagen belt u de waarneming."' in form
    changed = {
        "original": "2026-12-24",
        "start": "2026-12-23",
        "end": "2027-01-02",
        "text": "U spreekt met Huisartsenpraktijk De Linde. Tot 3 januari belt u de waarneming.",
        "route": "dial",
        "dial": "020 999 9999",
        "email": "praktijk@example.nl",
        "csrf": token,
    }
    previewed = admin.post("/admin/settings/periods/0", data={**changed, "intent": "preview"})
    assert previewed.status_code == 200 and stored_document(settings)["periods"] == [before]
    assert 'action="/admin/settings/periods/0"' in previewed.text  # still the period's own form
    saved = admin.post("/admin/settings/periods/0", data={**changed, "intent": "save"})
    assert saved.status_code == 200
    assert stored_document(settings)["periods"] == [
        {**before, "from": "2026-12-23", "to": "2027-01-02", "greeting": {"text": changed["text"]}}
    ]  # the number, its box and the instructions as they were
    stale = admin.post("/admin/settings/periods/0", data={**changed, "intent": "save"})  # its first day moved
    assert stale.status_code == 422 and "intussen gewijzigd" in refusal_at(stale.text, "period")


def test_a_period_offers_an_emergency_key_on_its_form(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    period = {"start": "2027-02-01", "end": "2027-02-05", "text": "Deze week belt u de waarneming."}
    period |= {"route": "dial", "dial": "020 999 9999", "email": "praktijk@example.nl", "csrf": token}
    half = admin.post("/admin/settings/periods", data={**period, "emergency_prompt": "Voor spoed, toets 1."})
    assert half.status_code == 422 and 'id="period_emergency-error"' in half.text  # a key with nowhere to go
    assert 'name="emergency_prompt" type="text" value="Voor spoed, toets 1."' in half.text  # kept to correct
    emergency = {"emergency_prompt": "Voor spoed, toets 1.", "emergency_dial": "06 1234 5678"}
    added = admin.post("/admin/settings/periods", data={**period, **emergency, "intent": "save"})
    assert added.status_code == 200, re.findall(r'<p id="[a-z_]+-error"[^>]*>(.*?)</p>', added.text)
    place = len(stored_document(settings)["periods"]) - 1
    assert stored_document(settings)["periods"][place]["emergency"] == {
        "prompt": "Voor spoed, toets 1.",
        "dial": ["+31612345678"],
    }  # key 1 is the document's default, so not written
    assert "spoedtoets 1 verbindt door met 06" in added.text  # in the list of periods
    form = admin.get("/admin/settings", params={"period": place}).text
    assert 'name="emergency_dial" type="text" value="+31612345678"' in form
    # Changed in place to key 5; then emptied, the option goes and the rest of the period stays.
    changed = {**period, "original": "2027-02-01", "intent": "save"}
    five = {"emergency_prompt": "Voor spoed, toets 5.", "emergency_key": "5", "emergency_dial": "+31612345678"}
    assert admin.post(f"/admin/settings/periods/{place}", data={**changed, **five}).status_code == 200
    assert stored_document(settings)["periods"][place]["emergency"]["key"] == "5"
    assert (
        'name="emergency_key" type="text" maxlength="1" value="5"'
        in admin.get("/admin/settings", params={"period": place}).text
    )
    assert admin.post(f"/admin/settings/periods/{place}", data=changed).status_code == 200
    stored = stored_document(settings)["periods"][place]
    assert "emergency" not in stored and stored["dial"] == ["+31209999999"]


def test_an_api_key_is_made_shown_once_and_revoked(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    empty = admin.post("/admin/keys", data={"label": "  ", "csrf": token})
    assert empty.status_code == 422 and "Geef de sleutel een naam" in refusal_at(empty.text, "label")
    made = admin.post("/admin/keys", data={"label": "afsprakensysteem", "csrf": token})
    found = re.search(r'<code id="new-key" translate="no"[^>]*>(gl_[^<]+)</code>', made.text)
    assert made.status_code == 200 and found is not None
    secret = found.group(1)
    business_id = stored_id(settings)
    api = f"/api/v1/businesses/{business_id}/config"
    assert admin.get(api, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listed = admin.get("/admin/keys").text
    assert secret not in listed and f"{secret[:10]}…" in listed and "afsprakensysteem" in listed
    (key_id,) = re.findall(r'action="/admin/keys/(\d+)/revoke"', listed)
    revoked = admin.post(f"/admin/keys/{key_id}/revoke", data={"csrf": token})
    assert revoked.status_code == 200 and "ingetrokken" in revoked.text
    assert admin.get(api, headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    database = Database(settings.database_url)  # a platform key is not the business's to revoke
    with database.transaction() as session:
        platform, _ = keys.create(session, business_id=None, label="platform", now=TUESDAY_10)
    database.dispose()
    assert admin.post(f"/admin/keys/{platform.id}/revoke", data={"csrf": token}).status_code == 404


def stored_id(settings: Settings) -> int:
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            (found,) = businesses.all_businesses(session.connection())
            return found.id
    finally:
        database.dispose()


def test_a_message_and_a_call_note_marked_handled_by_mistake_are_new_again(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    business_id = stored_id(settings)
    database = Database(settings.database_url)
    now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    take_in(
        database,
        LeftMessage(SID, "CA" + "1" * 32, business_id, "overflow", "https://api.twilio.test/r", 12),
        Voicemail(("praktijk@example.nl",)),
        "greetline.test",
        now,
    )
    note, _ = take_note(database, business_id, NoteInput("Jan", "+31611112222", "Belt terug", False), now, "x.test")
    database.dispose()
    admin.post(f"/admin/messages/{SID}/handled", data={"csrf": token})
    admin.post(f"/admin/messages/notes/{note.note_id}/handled", data={"csrf": token})
    handled = admin.get("/admin/messages").text
    assert handled.count("Markeer als niet afgehandeld") == 2
    again = admin.post(f"/admin/messages/{SID}/handled", data={"csrf": token, "handled": "no", "back": "message"})
    assert again.status_code == 303 and again.headers["location"] == f"/admin/messages/{SID}"
    assert "nog niet" in admin.get(again.headers["location"]).text
    admin.post(f"/admin/messages/notes/{note.note_id}/handled", data={"csrf": token, "handled": "no"})
    assert "Markeer als niet afgehandeld" not in admin.get("/admin/messages").text


def test_the_landline_codes_are_listed_with_what_each_does(admin: httpx.Client) -> None:
    log_in(admin)
    page = admin.get("/admin/settings").text
    assert "Doorschakelcodes voor een vaste lijn" in page
    assert '<code translate="no">*61*+31501234567#</code></td><td>Niet opgenomen' in page
    assert '<code translate="no">#210#</code></td><td>Altijd doorschakelen uitzetten' in page


def test_an_uploaded_recording_becomes_the_information_and_the_closed_message(
    admin: httpx.Client, settings: Settings, tmp_path: Path
) -> None:
    token = log_in(admin)
    for name, words in [("info.wav", "Wij zijn deze week beperkt bereikbaar."), ("welkom.wav", "Dag, De Linde.")]:
        voice = speech_wav(tmp_path / name, words).read_bytes()
        assert admin.post(
            "/admin/greetings/upload", data={"csrf": token}, files={"recording": (name, voice)}
        ).is_success
    page = admin.get("/admin/greetings").text
    (info_id,) = [int(x) for x in re.findall(r'action="/admin/greetings/(\d+)/active"', page)]  # not the welcome
    before = stored_document(settings)
    previewed = admin.post(f"/admin/greetings/{info_id}/use", data={"use": "info", "intent": "preview", "csrf": token})
    assert previewed.status_code == 200 and 'id="week"' in previewed.text and stored_document(settings) == before
    saved = admin.post(f"/admin/greetings/{info_id}/use", data={"use": "info", "intent": "save", "csrf": token})
    assert saved.status_code == 200 and "Opgeslagen." in saved.text
    info = stored_document(settings)["info"]
    assert info["file"] == "info.wav" and info["text"] == before["info"]["text"]  # spoken when it cannot be played
    assert '<span class="badge">Informatiebericht</span>' in saved.text
    assert info["media"] in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    admin.post(f"/admin/greetings/{info_id}/use", data={"use": "closed", "intent": "save", "csrf": token})
    assert stored_document(settings)["closed"]["greeting"]["media"] == info["media"]
    in_use = admin.post(f"/admin/greetings/{info_id}/delete", data={"csrf": token})
    assert in_use.status_code == 409 and stored_document(settings)["info"] == info


def test_the_fixed_texts_are_worded_by_the_business_and_heard(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    page = admin.get("/admin/texts").text
    assert '<q translate="no">Er is nu helaas niemand bereikbaar. Probeer het later opnieuw.</q>' in page
    own = {"voicemail": "", "goodbye": "Dank u wel en tot ziens.", "unavailable": "", "csrf": token}
    previewed = admin.post("/admin/texts/fixed", data={**own, "intent": "preview"})
    assert previewed.status_code == 200 and "texts" not in stored_document(settings)
    saved = admin.post("/admin/texts/fixed", data={**own, "intent": "save"})
    assert saved.status_code == 200 and stored_document(settings)["texts"] == {"goodbye": "Dank u wel en tot ziens."}
    assert re.search(
        r'id="fixed-goodbye-spoken"><audio controls preload="none" src="/media/[0-9a-f]+\.mp3"', saved.text
    )
    unknown = admin.post("/admin/texts/fixed", data={**own, "voicemail": "Spreek in, {naam}.", "intent": "save"})
    assert unknown.status_code == 422 and "{naam}" in refusal_at(unknown.text, "fixed")
    assert stored_document(settings)["texts"] == {"goodbye": "Dank u wel en tot ziens."}

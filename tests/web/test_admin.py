"""The admin page over real HTTP: login, CSRF, and changes that the next call hears."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from ivr.settings import Settings
from ivr.simulator import SIMULATED_CALL_FIELD
from ivr.store import businesses, calls, staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.audio.signals import speech_wav
from tests.local_server import running_server
from tests.twilio_client import TwilioLikeClient

TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "assistent@delinde.nl", "een-lang-wachtwoord"
# Plain http here, so the session cookie is not marked Secure and the test client sends it back.
PUBLIC_URL = "http://greetline.test"
# These tests read a text's recording on the save's own answer, so the save waits for it to be spoken (the page
# answers "being spoken" after GREETLINE_SPEAKING_GRACE_S otherwise: tests/web/test_speaking_later.py).
SAVE_WAITS_FOR_SPEECH_S = 300.0


@pytest.fixture
def admin(settings: Settings, demo_text: str) -> Iterator[httpx.Client]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    # Speech from espeak-ng on this machine: Google's endpoint is outside 127.0.0.1.
    local_speech = {"public_url": PUBLIC_URL, "tts_engines": ("espeak",), "speaking_grace_s": SAVE_WAITS_FOR_SPEECH_S}
    app = create_app(settings.model_copy(update=local_speech), clock=lambda: TUESDAY_10)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=SAVE_WAITS_FOR_SPEECH_S) as http:
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
    for path in [
        "/admin",
        "/admin/settings",
        "/admin/greetings",
        "/admin/calls",
        "/admin/history",
        "/admin/staff",
        "/admin/texts",
        "/admin/messages",
    ]:
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
    assert "Gaat tot 15 s over bij:" in page.text  # the transcript on the page follows
    assert 'timeout="10"' in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text


def test_a_bad_number_is_shown_at_its_field_and_nothing_is_lost(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    page = admin.post("/admin/settings/phones", data={"operators": "12345", "ring": "sequential", "csrf": token})
    assert page.status_code == 422
    assert (
        '<p id="operators-error" class="field-error">12345 is geen telefoonnummer: kijk de cijfers na, bijvoorbeeld '
        "020 123 4567 of +31 20 123 4567" in page.text
    )
    assert 'aria-describedby="operators-error" aria-invalid="true">12345</textarea>' in page.text  # typed, kept
    assert stored_document(settings)["operators"] == ["+31501111111", "+31502222222"]
    assert "050 111 1111" in admin.get("/admin/settings").text  # as people write it


def test_numbers_are_typed_as_people_write_them(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    page = admin.post("/admin/settings/phones", data={"operators": "050 222 2222", "csrf": token})
    assert page.status_code == 200 and stored_document(settings)["operators"] == ["+31502222222"]


def test_clearing_the_staff_phones_is_refused_on_the_page_not_with_an_error_page(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    page = admin.post("/admin/settings/phones", data={"operators": "", "ring": "simultaneous", "csrf": token})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "Geef minstens één telefoon van een medewerker" in page.text
    assert stored_document(settings)["operators"] == ["+31501111111", "+31502222222"]
    missing = admin.post("/admin/settings/periods", data={"start": "2026-11-24"})  # no CSRF token at all
    assert missing.status_code == 422 and "Er ging iets mis" in missing.text


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
    assert page.status_code == 200 and "24 november 2026 \u2013 25 november 2026" in page.text
    spoken = re.search(r'id="period-1-spoken"><audio controls preload="none" src="/media/([0-9a-f]+)\.mp3"', page.text)
    assert spoken is not None  # the period's greeting is spoken when it is added, and callers hear that
    heard = TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    assert f"/media/{spoken.group(1)}.wav</Play>" in heard and "<Number>+31209999999</Number>" in heard
    # The demo's Christmas period is first, the new one second; a page showing an older list removes nothing.
    stale = admin.post("/admin/settings/periods/1/delete", data={"start": "2026-12-24", "csrf": token})
    assert stale.status_code == 422 and "24 november 2026 \u2013 25 november 2026" in stale.text
    removed = admin.post("/admin/settings/periods/1/delete", data={"start": "2026-11-24", "csrf": token})
    assert removed.status_code == 200 and "24 november 2026 \u2013 25 november 2026" not in removed.text
    assert spoken.group(1) not in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text


def test_english_on_request(admin: httpx.Client) -> None:
    log_in(admin)
    admin.get("/admin/language/en")
    assert "4 rings is about 20 seconds." in admin.get("/admin/settings").text


def stored_document(settings: Settings) -> dict[str, Any]:
    database = Database(settings.database_url)
    try:
        with database.transaction() as session:
            (found,) = businesses.all_businesses(session.connection())
            return found.document
    finally:
        database.dispose()


def test_what_a_caller_hears_is_shown_but_not_logged_as_a_call(admin: httpx.Client, settings: Settings) -> None:
    log_in(admin)
    for _ in range(2):
        dashboard = admin.get("/admin").text
        assert "Goedemorgen, u spreekt met Huisartsenpraktijk De Linde." in dashboard
        assert "Gaat tot 20 s over bij:" in admin.get("/admin/settings").text
    assert "Nog geen." in dashboard.split("Gesprekken vandaag")[1]
    database = Database(settings.database_url)
    with database.transaction() as session:
        assert calls.recent(session.connection(), 1) == []
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
    assert seven["ringing_s"] == 35 and any("de meeste bellers hangen op" in warning for warning in seven["warnings"])
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
    loudness = [float(x) for x in re.findall(r"luidheid (-?[0-9.]+) LUFS", page)]
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
    assert refused.status_code == 422 and "Dit is geen geluidsbestand" in refused.text
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
        assert page.status_code == 200 and ("06 12 34 56 78" in page.text) is shown, params


def test_empty_hours_are_refused_unless_always_open_is_chosen(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    before = stored_document(settings)["hours"]
    page = admin.post("/admin/settings/hours", data={"hours": "", "holidays": "on", "csrf": token})
    assert page.status_code == 422 and 'id="hours-error"' in page.text and "Altijd open" in page.text
    assert stored_document(settings)["hours"] == before
    typed = admin.post("/admin/settings/hours", data={"hours": "ma-vr 8-17", "csrf": token})
    assert typed.status_code == 422 and ">ma-vr 8-17</textarea>" in typed.text  # kept to correct
    assert "8-17 is geen tijdvak: schrijf het als 08:00-17:00" in typed.text
    always = admin.post("/admin/settings/hours", data={"hours": "", "always_open": "on", "csrf": token})
    assert always.status_code == 200 and "hours" not in stored_document(settings)
    dutch = admin.post("/admin/settings/hours", data={"hours": "ma-do 08:00-17:00\nvr 08:00-12:00", "csrf": token})
    assert dutch.status_code == 200
    assert stored_document(settings)["hours"] == {"mon-thu": "08:00-17:00", "fri": "08:00-12:00"}
    assert "maandag t/m donderdag: 08:00-17:00" in dutch.text


def test_a_period_must_say_where_calls_go(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    before = stored_document(settings)["periods"]
    data = {"start": "2027-02-01", "end": "2027-02-02", "text": "Wij zijn dicht.", "route": "dial", "csrf": token}
    page = admin.post("/admin/settings/periods", data=data)
    assert page.status_code == 422 and 'id="period_route-error"' in page.text
    assert 'value="Wij zijn dicht."' in page.text and stored_document(settings)["periods"] == before
    boxed = {**data, "route": "voicemail", "email": "praktijk@example.nl"}
    assert admin.post("/admin/settings/periods", data=boxed).status_code == 200
    assert stored_document(settings)["periods"][-1]["voicemail"] == {"email": ["praktijk@example.nl"]}


def test_calls_show_local_time_and_the_route_in_words(admin: httpx.Client) -> None:
    log_in(admin)
    TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice", {"CallSid": "CAlocal", "From": "+31612345678"})
    page = admin.get("/admin/calls").text
    assert "24-11-2026, 10:00" in page and "09:00" not in page  # 09:00 UTC is 10:00 in Amsterdam
    assert "welkom" in page and "operators" not in page
    admin.get("/admin/language/de")
    german = admin.get("/admin/calls").text
    assert "24.11.26, 10:00" in german and "Anrufe" in german


def test_the_history_shows_who_changed_what_and_goes_back_to_a_version(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    first = stored_document(settings)
    for rings in ("3", "2"):  # the demo's emergency path allows at most 4 rings (the checker's 30 s)
        assert admin.post("/admin/settings/rings", data={"rings": rings, "csrf": token}).status_code == 200
    page = admin.get("/admin/history").text
    assert page.count('class="version"') == 3 and page.count("Gewijzigd door") == 2
    assert "Gewijzigd via de API of de opdrachtregel" in page  # the document applied from the CLI
    newest = page.split('class="version"')[1]
    assert re.search(r"<dt>Aantal keer overgaan</dt><dd>[^<]*<[^>]*>Voor:</span> 3 keer</dd>", newest)
    assert re.search(r"<dd>[^<]*<[^>]*>Na:</span> 2 keer</dd>", newest)
    assert "24-11-2026, 10:00" in newest and "assistent@delinde.nl" in newest
    oldest = int(re.findall(r'href="/admin/history/(\d+)/restore"', page)[-1])
    back = admin.post(f"/admin/history/{oldest}/restore", data={"csrf": token})
    assert back.status_code == 303 and stored_document(settings) == first
    assert admin.get("/admin/history").text.count('class="version"') == 4  # going back is a change too
    again = admin.post(f"/admin/history/{oldest}/restore", data={"csrf": token})
    assert again.status_code == 303 and admin.get("/admin/history").text.count('class="version"') == 4  # no change
    assert admin.post("/admin/history/999/restore", data={"csrf": token}).status_code == 404


def test_staff_are_added_and_removed_and_change_their_own_password(admin: httpx.Client) -> None:
    token = log_in(admin)
    colleague = "balie@delinde.nl"
    bad = admin.post("/admin/staff", data={"email": "balie", "password": "kort", "csrf": token})
    assert bad.status_code == 422 and 'id="new-email-error"' in bad.text and 'id="new-password-error"' in bad.text
    assert 'value="balie"' in bad.text  # typed, kept
    added = admin.post("/admin/staff", data={"email": colleague, "password": "balie-wachtwoord", "csrf": token})
    assert added.status_code == 200 and "balie@delinde.nl kan nu inloggen." in added.text
    twice = admin.post("/admin/staff", data={"email": colleague, "password": "balie-wachtwoord", "csrf": token})
    assert twice.status_code == 422 and "balie@delinde.nl kan al inloggen." in twice.text
    with httpx.Client(base_url=admin.base_url) as other:
        other_token = csrf(other.get("/admin/login").text)
        login = {"email": colleague, "password": "balie-wachtwoord", "csrf": other_token}
        assert other.post("/admin/login", data=login).status_code == 303
    (colleague_id,) = re.findall(r'action="/admin/staff/(\d+)/remove"', added.text)
    assert admin.post(f"/admin/staff/{colleague_id}/remove", data={"csrf": token}).status_code == 200
    assert colleague not in admin.get("/admin/staff").text
    wrong = admin.post("/admin/account/password", data={"current": "fout", "new": "nieuw-wachtwoord", "csrf": token})
    assert wrong.status_code == 422 and "Het huidige wachtwoord klopt niet." in wrong.text
    changed = admin.post(
        "/admin/account/password", data={"current": PASSWORD, "new": "nieuw-wachtwoord", "csrf": token}
    )
    assert changed.status_code == 200 and "Uw wachtwoord is gewijzigd." in changed.text
    with httpx.Client(base_url=admin.base_url) as other:
        other_token = csrf(other.get("/admin/login").text)
        old = other.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": other_token})
        assert old.status_code == 401
        new = other.post("/admin/login", data={"email": EMAIL, "password": "nieuw-wachtwoord", "csrf": other_token})
        assert new.status_code == 303


def test_the_texts_page_shows_what_a_caller_hears_through_the_week(admin: httpx.Client) -> None:
    log_in(admin)
    week = admin.get("/admin/texts").text.split('id="week"')[1].split("</ol>")[0]
    moments = week.split("<strong>")[1:]
    assert [moment.split("</strong>")[0] for moment in moments] == [
        "Nu",
        "Vanavond",
        "Zondag",
        "Volgende feestdag",
        "In de volgende periode",
    ]
    assert "u spreekt met Huisartsenpraktijk De Linde" in moments[0]
    assert "U belt buiten onze openingstijden." in moments[1] and "U belt buiten onze openingstijden." in moments[2]
    assert "25 december 2026" in moments[3] or "25-12-2026" in moments[3]  # Christmas Day, in the period
    assert "Tijdens de feestdagen belt u de waarneming." in moments[4]


def test_the_information_message_is_switched_off_and_on(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    assert admin.post("/admin/texts/info", data={"info_text": "Iets", "csrf": token}).status_code == 200
    assert "info" not in stored_document(settings)
    empty = admin.post("/admin/texts/info", data={"info_text": " ", "info_on": "on", "csrf": token})
    assert empty.status_code == 422 and 'id="info-error"' in empty.text and "info" not in stored_document(settings)
    text = "De praktijk is vrijdag gesloten."
    assert admin.post("/admin/texts/info", data={"info_text": text, "info_on": "on", "csrf": token}).status_code == 200
    assert stored_document(settings)["info"] == {"text": text}
    spoken = re.search(r'<a href="/media/([0-9a-f]+)\.mp3" download', admin.get("/admin/texts").text)
    assert spoken is not None  # rendered as speech when saved: callers hear the recording
    assert spoken.group(1) in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text


def test_the_closed_message_and_its_destination(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    data = {"closed_text": "Wij zijn gesloten.", "closed_kind": "dial", "csrf": token}
    refused = admin.post("/admin/texts/closed", data=data)
    assert refused.status_code == 422 and 'id="closed_route-error"' in refused.text
    assert ">Wij zijn gesloten.</textarea>" in refused.text
    assert admin.post("/admin/texts/closed", data={**data, "closed_dial": "020 777 7777"}).status_code == 200
    assert stored_document(settings)["closed"] == {"greeting": {"text": "Wij zijn gesloten."}, "dial": ["+31207777777"]}


def test_the_closed_message_offers_an_emergency_key_with_the_box_behind_its_number(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    data = {"closed_text": "Wij zijn gesloten. Voor spoed, toets 1.", "closed_kind": "voicemail", "csrf": token}
    data |= {"closed_email": "praktijk@example.nl"}
    # Without an emergency key the 1 the message asks for does nothing: refused at the message.
    refused = admin.post("/admin/texts/closed", data=data)
    assert refused.status_code == 422 and 'id="closed-error"' in refused.text
    half = admin.post("/admin/texts/closed", data={**data, "emergency_prompt": "Voor spoed, toets 1."})
    assert half.status_code == 422 and 'id="closed_emergency-error"' in half.text  # a key with nowhere to go
    saved = admin.post(
        "/admin/texts/closed", data={**data, "emergency_prompt": "Toets 1.", "emergency_dial": "06 1234 5678"}
    )
    assert saved.status_code == 200, re.findall(r'<p id="[a-z_]+-error"[^>]*>(.*?)</p>', saved.text)
    closed = stored_document(settings)["closed"]
    assert closed["emergency"] == {"prompt": "Toets 1.", "dial": ["+31612345678"]}
    assert closed["voicemail"] == {"email": ["praktijk@example.nl"]}  # takes what the number does not answer
    assert 'name="emergency_dial" type="text" value="+31612345678"' in saved.text
    # Key 5 asked for and written; then emptied, the option goes.
    five = {**data, "closed_text": "Wij zijn gesloten. Voor spoed, toets 5."}
    five |= {"emergency_prompt": "Toets 5.", "emergency_key": "5", "emergency_dial": "+31612345678"}
    assert admin.post("/admin/texts/closed", data=five).status_code == 200
    assert stored_document(settings)["closed"]["emergency"]["key"] == "5"
    assert admin.post("/admin/texts/closed", data={**data, "closed_text": "Wij zijn gesloten."}).status_code == 200
    assert "emergency" not in stored_document(settings)["closed"]


def test_the_menu_is_edited_with_a_destination_for_every_option(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    menu = stored_document(settings)["menu"]
    form = {"csrf": token}
    for index, option in enumerate(menu):
        kind = "dial" if "dial" in option else "voicemail"
        form |= {f"key_{index}": option["key"], f"prompt_{index}": option["prompt"], f"kind_{index}": kind}
        form |= {f"dial_{index}": ", ".join(option.get("dial", [])), f"email_{index}": "recept@example.nl"}
        if option.get("emergency"):
            form[f"emergency_{index}"] = "on"
    form |= {"key_2": "3", "prompt_2": "Voor uitslagen, toets 3."}
    refused = admin.post("/admin/texts/menu", data=form)
    assert refused.status_code == 422 and 'id="menu_2-error"' in refused.text
    assert 'value="Voor uitslagen, toets 3."' in refused.text and stored_document(settings)["menu"] == menu
    saved = admin.post("/admin/texts/menu", data={**form, "kind_2": "dial", "dial_2": "050 333 3333"})
    assert saved.status_code == 200
    stored = stored_document(settings)["menu"]
    assert stored[:2] == menu and stored[2] == {
        "key": "3",
        "prompt": "Voor uitslagen, toets 3.",
        "dial": ["+31503333333"],
    }


def test_an_outbreak_notice_goes_live_from_a_template(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    filled = admin.post("/admin/texts/info/template", data={"template": "outbreak", "csrf": token})
    assert filled.status_code == 200 and "Heeft u koorts of hoest u?" in filled.text
    assert stored_document(settings)["info"]["text"] == "Wij zijn op werkdagen bereikbaar van acht tot vijf."
    text = re.search(r'<textarea id="info" name="info_text"[^>]*>([^<]*)</textarea>', filled.text)
    assert text is not None
    saved = admin.post("/admin/texts/info", data={"info_text": text.group(1), "info_on": "on", "csrf": token})
    assert saved.status_code == 200, re.findall(r"<li[^>]*>([^<]*)</li>", saved.text)
    spoken = re.search(r'<a href="(/media/[0-9a-f]+\.mp3)" download', saved.text)
    assert spoken is not None, "the saved message is rendered as speech and offered as MP3"
    mp3 = admin.get(spoken.group(1))
    assert mp3.status_code == 200 and mp3.headers["content-type"] == "audio/mpeg" and len(mp3.content) > 1000
    assert (
        spoken.group(1).removesuffix(".mp3")
        in TwilioLikeClient(admin, public_url=PUBLIC_URL).post("/twilio/voice").text
    )  # callers hear the recording


def test_a_period_asking_for_a_message_nobody_records_is_refused(admin: httpx.Client) -> None:
    """A period must say where calls go; the path checker names the path when a document is written by hand."""
    token = log_in(admin)
    data = {"start": "2036-07-01", "end": "2036-07-14", "text": "Spreek na de toon een bericht in.", "csrf": token}
    page = admin.post("/admin/settings/periods", data=data)
    assert page.status_code == 422 and 'id="period_route-error"' in page.text
    assert "2036-07-01" not in admin.get("/admin/settings").text


def test_problems_the_page_once_said_only_in_general_now_say_what_is_wrong_in_dutch(
    admin: httpx.Client, settings: Settings
) -> None:
    """An address given twice and a time that is not one: the page words each by its code, at its field."""
    token = log_in(admin)
    before = stored_document(settings)
    page = admin.post(
        "/admin/settings/after-calls",
        data={
            "missed_emails": "balie@example.nl, balie@example.nl",
            "summary_emails": "praktijk@example.nl",
            "summary_at": "25:30",
            "csrf": token,
        },
    )
    assert page.status_code == 422
    assert "balie@example.nl staat er twee keer: noem elk één keer." in page.text
    assert "25:30 is geen tijd: schrijf het als 17:30." in page.text
    assert "listed twice" not in page.text and "HH:MM" not in page.text  # the CLI's English stays there
    assert "Dit kan zo niet worden opgeslagen" not in page.text  # nor the general sentence
    assert stored_document(settings) == before


def test_a_simulated_call_is_marked_as_a_test_call_in_the_visitors_language(admin: httpx.Client) -> None:
    log_in(admin)
    twilio = TwilioLikeClient(admin, public_url=PUBLIC_URL)
    twilio.post("/twilio/voice", {"CallSid": "CAreal", "From": "+31612345678"})
    twilio.post("/twilio/voice", {"CallSid": "CAsimulated", "From": "+31687654321", SIMULATED_CALL_FIELD: "1"})
    rows = admin.get("/admin/calls").text.split("<tr>")[2:]
    simulated, real = (next(row for row in rows if f"<td>{n}" in row) for n in ("06 87 65 43 21", "06 12 34 56 78"))
    assert "Proefgesprek" in simulated and "Proefgesprek" not in real
    assert admin.get("/admin").text.count("Proefgesprek") == 1  # today's calls on the overview
    for language, words in [("en", "Test call"), ("de", "Testanruf"), ("fr", "Appel d'essai")]:
        admin.get(f"/admin/language/{language}")
        assert admin.get("/admin/calls").text.count(words) == 1, language

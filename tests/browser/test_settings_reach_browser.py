"""The settings only YAML or the API reached before, set on the admin page in a real browser (Debian's chromium,
driven by Playwright), the way a practice manager does it (issue 21): staff press 1 to take a call; which public
holidays close the practice; a period changed in place; the answering service's note addresses; an API key made
and revoked; a message marked handled by mistake made new again; the landline forwarding codes. In Dutch, then
the same controls in English. Screenshots of each step are kept in artifacts/."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ivr.callflow.model import Voicemail
from ivr.messages.intake import take_in
from ivr.messages.outbox import LeftMessage
from ivr.settings import Settings
from ivr.store import businesses, staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.audio.signals import speech_wav
from tests.browser.test_admin_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, EMAIL, PASSWORD, TUESDAY_10
from tests.local_server import running_server

SID = "RE" + "2" * 32
# A save speaks the business's texts before the page answers (espeak-ng here): slow the first time on a busy machine.
SAVED_WITHIN_MS = 90_000


@pytest.fixture
def served(settings: Settings, demo_text: str) -> Iterator[tuple[str, Database]]:
    """The demo practice with a login and one voicemail message, served; and its database, to read what is stored."""
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    message = LeftMessage(SID, "CA" + "2" * 32, business.id, "overflow", "https://api.twilio.test/r", 12)
    take_in(
        database, message, Voicemail(("praktijk@example.nl",)), "greetline.test", datetime(2026, 11, 24, 8, tzinfo=UTC)
    )
    local = {"public_url": "http://greetline.test", "tts_engines": ("espeak",)}
    app = create_app(settings.model_copy(update=local), clock=lambda: TUESDAY_10)
    with running_server(app) as url:
        yield url, database
    database.dispose()


@pytest.fixture
def page(served: tuple[str, Database]) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # A phone screen, a Dutch browser.
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL", base_url=served[0])
        page.set_default_timeout(SAVED_WITHIN_MS)
        page.goto("/admin/login")
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
        page.on("dialog", lambda dialog: dialog.accept())  # "Intrekken?": yes
        yield page
        browser.close()


def stored(database: Database) -> dict[str, object]:
    with database.transaction() as session:
        (found,) = businesses.all_businesses(session.connection())
        return found.document


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"settings-reach-{name}.png"), full_page=True)


def said(page: Page, text: str) -> None:
    expect(page.get_by_role("status").first).to_contain_text(text, timeout=SAVED_WITHIN_MS)


def test_a_practice_manager_sets_what_only_yaml_reached(page: Page, served: tuple[str, Database]) -> None:
    database = served[1]
    page.get_by_role("link", name="Instellingen").click()
    # Staff press 1: seen first, then saved.
    page.get_by_label("Medewerkers drukken op 1 om een oproep aan te nemen").check()
    page.locator("form[action='/admin/settings/phones'] button[value=preview]").click()
    said(page, "Nog niet opgeslagen")
    assert stored(database).get("confirm") is None
    page.locator("form[action='/admin/settings/phones'] button[value=save]").click()
    said(page, "Opgeslagen")
    expect(page.get_by_label("Medewerkers drukken op 1 om een oproep aan te nemen")).to_be_checked()
    assert stored(database)["confirm"] is True
    shot(page, "confirm")

    # Which public holidays close: two of them and New Year's Eve; nothing ticked is refused beside the field.
    holidays = page.locator("form[action='/admin/settings/holidays']")
    holidays.get_by_label("Alleen op de feestdagen en data hieronder").check()
    holidays.locator("button[value=save]").click()
    expect(page.locator("#holidays-error")).to_contain_text("Vink de feestdagen aan")
    holidays = page.locator("form[action='/admin/settings/holidays']")
    holidays.get_by_label("Koningsdag (27 april 2026)").check()
    holidays.get_by_label("Eerste kerstdag (25 december 2026)").check()
    holidays.get_by_label("Andere dagen gesloten").fill("12-31")
    holidays.locator("button[value=save]").click()
    said(page, "Opgeslagen")
    assert stored(database)["holidays"] == ["Koningsdag", "Eerste kerstdag", "12-31"]
    shot(page, "holidays")

    # The Christmas period, changed in place: one day longer, its stand-in and instructions kept.
    page.get_by_role("link", name=re.compile("^Periode wijzigen: 24 december 2026")).click()
    expect(page.get_by_role("heading", name=re.compile("^De periode 24 december 2026"))).to_be_visible()
    page.get_by_label("Tot en met").fill("2027-01-02")
    page.get_by_role("button", name="Periode opslaan").click()
    said(page, "Opgeslagen")
    expect(page.locator("#periods")).to_contain_text("24 december 2026 \u2013 2 januari 2027")
    (period,) = stored(database)["periods"]  # type: ignore[misc]
    assert (period["to"], period["dial"], "instructions" in period) == ("2027-01-02", ["+31209999999"], True)
    expect(page.locator(".landline-codes").first).to_contain_text("*61*+31501234567#")
    shot(page, "period-and-landline")

    # The answering service's call notes: to the practice and the doctor, urgent ones texted.
    page.get_by_role("link", name="Antwoorddienst").click()
    page.get_by_label("Gespreksnotities per e-mail naar").fill("praktijk@example.nl, dokter@example.nl")
    page.get_by_label("Dringende gespreksnotities ook per sms naar").fill("06 1111 2222")
    page.locator("form[action='/admin/answering/notes'] button[value=save]").click()
    said(page, "Opgeslagen")
    expect(page.get_by_text("Gespreksnotities gaan naar:")).to_contain_text("dokter@example.nl, 06 11 11 22 22")
    shot(page, "notes")

    # An API key for the booking system: shown once, then revoked.
    page.get_by_role("link", name="API-sleutels").click()
    page.get_by_label("Naam van de nieuwe sleutel").fill("afsprakensysteem")
    page.get_by_role("button", name="Sleutel maken").click()
    expect(page.locator("#new-key")).to_have_text(re.compile(r"^gl_[\w-]{40,}$"))
    shot(page, "key-made")
    page.get_by_role("button", name="Intrekken: afsprakensysteem").click()
    said(page, "is ingetrokken")
    expect(page.locator("#new-key")).to_have_count(0)
    expect(page.locator("#keys")).to_contain_text("ingetrokken op")

    # A message marked handled by mistake is new again.
    page.get_by_role("link", name="Berichten").click()
    message = page.locator(f"#{SID}")
    message.get_by_role("button", name="Afgehandeld").click()
    message = page.locator(f"#{SID}")
    message.get_by_role("button", name="Markeer als niet afgehandeld").click()
    expect(page.locator(f"#{SID}")).to_contain_text("Nieuw")
    shot(page, "message-new-again")


def test_the_same_controls_in_english(page: Page, served: tuple[str, Database], tmp_path: Path) -> None:
    page.get_by_role("link", name="English").click()
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_label("Staff press 1 to take a call")).not_to_be_checked()
    holidays = page.locator("form[action='/admin/settings/holidays']")
    holidays.get_by_label("Only on the holidays and dates below").check()
    holidays.get_by_label("King's Day").check()  # the name in the page's language
    holidays.get_by_label("Other days closed").fill("13-45")
    holidays.locator("button[value=save]").click()
    expect(page.locator("#holidays-error")).to_contain_text("13-45")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    holidays = page.locator("form[action='/admin/settings/holidays']")
    holidays.get_by_label("Other days closed").fill("12-31")
    holidays.locator("button[value=save]").click()
    said(page, "Saved")
    assert stored(served[1])["holidays"] == ["Koningsdag", "12-31"]  # saved in the business's own language
    expect(page.locator("h3", has_text="Analogue line")).to_be_visible()
    shot(page, "english-holidays")
    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name of the new key").fill("booking system")
    page.get_by_role("button", name="Make a key").click()
    said(page, "shown only this once")
    shot(page, "english-key")

    # The practice's own goodbye, heard after a message.
    page.get_by_role("link", name="What callers hear").click()
    page.get_by_label("After a message is left").fill("Dank u wel, tot ziens.")
    page.locator("form[action='/admin/texts/fixed'] button[value=save]").click()
    said(page, "Saved")
    assert stored(served[1])["texts"] == {"goodbye": "Dank u wel, tot ziens."}
    # Spoken in the background ("Wordt ingesproken…"): the page shows the player once it has reloaded itself.
    expect(page.locator("#fixed-goodbye-spoken audio")).to_have_count(1, timeout=SAVED_WITHIN_MS)
    shot(page, "english-fixed-texts")

    # An uploaded recording as the information message: seen first, then saved.
    voice = speech_wav(tmp_path / "informatie.wav", "Deze week zijn wij beperkt bereikbaar.")
    page.get_by_role("link", name="Greetings").click()
    page.get_by_label("Upload a recording").set_input_files(str(voice))
    page.locator("form[action='/admin/greetings/upload'] button").click()
    said(page, "Saved")
    recording = page.locator("section.recording", has_text="informatie.wav")
    recording.get_by_label("Use this recording as").select_option("info")
    recording.locator("button[value=preview]").click()
    said(page, "Not saved yet")
    recording = page.locator("section.recording", has_text="informatie.wav")
    recording.locator("button[value=save]").click()
    said(page, "Saved")
    expect(page.locator("section.recording", has_text="informatie.wav")).to_contain_text("Information message")
    assert stored(served[1])["info"]["file"] == "informatie.wav"  # type: ignore[index]
    shot(page, "english-recording-as-information")

"""Issue 21's surprises, gone, in a real browser (Debian's chromium, driven by Playwright) on a phone-sized
screen: a refused recording stays off the line with the checker's reason beside the field; the history undoes one
change, or restores a whole version said plainly, each after showing what will change, in words and without
sideways scrolling; the login page speaks the browser's language. Screenshots are kept in artifacts/."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.browser.test_admin_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    EMAIL,
    PASSWORD,
    PHONE,
    TUESDAY_10,
    page,
)
from tests.local_server import running_server
from tests.web.test_admin_uploads import generated

from playwright.sync_api import Page, expect, sync_playwright  # isort: skip (after the skip without chromium)

__all__ = ["page"]  # the fixture, used by name

PHONE_WIDTH_PX = 390
# Longer than the 30 s within which an emergency caller must be able to press (ivr/document/path_check.py).
LONG_WELCOME_S = 55
WHY_NL = "Een beller met spoed moet binnen 30 s kunnen kiezen."
INFO = "Wij zijn op werkdagen bereikbaar van acht tot half zes."
# Every text of the demo is spoken after the first save; on a busy machine that took minutes.
SPOKEN_WITHIN_MS = 300_000


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"surprises-{name}.png"), full_page=True)


def overflow_px(page: Page) -> int:
    """How far the page reaches past the screen's right edge (0: nothing to scroll sideways)."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - PHONE_WIDTH_PX)


def test_a_refused_recording_stays_off_the_line_with_the_reason_beside_the_field(page: Page, tmp_path: Path) -> None:
    long_welcome = tmp_path / "lang-welkom.wav"
    long_welcome.write_bytes(generated("sine=f=440:r=8000,volume=0.3", LONG_WELCOME_S))
    page.get_by_role("link", name="Begroetingen").click()
    page.get_by_label("Opname uploaden").set_input_files(str(long_welcome))
    page.locator("form[action='/admin/greetings/upload'] button").click()
    field = page.get_by_label("Opname uploaden")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#recording-error")).to_contain_text(WHY_NL)
    expect(page.locator("section.recording", has_text="lang-welkom.wav")).to_have_count(0)  # not in use, not kept
    expect(page.get_by_role("status")).to_have_count(0)  # no "Opgeslagen"
    shot(page, "1-refused-recording")


def test_the_history_undoes_one_change_after_showing_it_and_fits_a_phone(page: Page) -> None:
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_label("Aantal keer overgaan", exact=True).fill("3")
    page.locator("form[action='/admin/settings/rings'] button").click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen")
    page.get_by_role("link", name="Geschiedenis").click()
    versions = page.locator("section.version")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("Voor: 4 keer")
    expect(versions.last).to_contain_text("alle tegelijk")  # the first version: every part, in words
    expect(versions.last).to_contain_text("maandag t/m vrijdag 08:00\u201317:00")
    assert overflow_px(page) == 0
    shot(page, "2-history")

    versions.first.get_by_role("link", name="Deze wijziging ongedaan maken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deze ene wijziging van")
    expect(page.locator("dl.changes")).to_contain_text("Aantal keer overgaan")
    expect(page.locator("dl.changes")).to_contain_text("Na: 4 keer")
    assert overflow_px(page) == 0
    shot(page, "3-undo-asked")
    page.get_by_role("button", name="Deze wijziging ongedaan maken").click()
    expect(page.locator("section.version")).to_have_count(3)  # undoing is a change too, and can be undone
    expect(page.locator("section.version").first).to_contain_text("Na: 4 keer")

    restore = page.get_by_role("link", name="De hele versie van").first
    restore.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("De hele versie van")
    expect(page.locator("main")).to_contain_text("elke wijziging daarna wordt ook ongedaan gemaakt")
    page.get_by_role("link", name="Annuleren").click()  # nothing changed
    expect(page.locator("section.version")).to_have_count(3)
    shot(page, "4-history-after-undo")


@pytest.fixture
def served_url(settings: Settings, demo_text: str) -> Iterator[str]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    # espeak-ng only (Google's endpoint is outside 127.0.0.1); a save never waits for speech: "being spoken" at once.
    local = {"public_url": "http://greetline.test", "tts_engines": ("espeak",), "speaking_grace_s": 0.0}
    app = create_app(settings.model_copy(update=local), clock=lambda: TUESDAY_10)
    with running_server(app) as url:
        yield url


def test_the_login_page_speaks_the_browsers_language(served_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            german = browser.new_page(viewport={"width": 390, "height": 844}, locale="de-DE", base_url=served_url)
            german.goto("/admin/login")
            expect(german.get_by_role("heading", name="Anmelden")).to_be_visible()
            expect(german.locator("html")).to_have_attribute("lang", "de")
            shot(german, "5-login-in-german")
            german.get_by_role("link", name="Français").click()  # a choice, kept over the browser's language
            expect(german.get_by_role("heading", name="Se connecter")).to_be_visible()
        finally:
            browser.close()


def test_a_save_answers_at_once_and_the_page_shows_the_recording_when_it_is_ready(served_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(**PHONE, base_url=served_url)
            page.goto("/admin/login")
            page.get_by_label("E-mailadres").fill(EMAIL)
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_role("link", name="Wat bellers horen").click()
            page.get_by_label("Informatiebericht", exact=True).fill(INFO)
            page.locator("form[action='/admin/texts/info']").get_by_role("button", name="Opslaan", exact=True).click()
            expect(page.locator("#being-spoken")).to_contain_text("Wordt ingesproken")
            shot(page, "6-being-spoken")
            # The page shows itself anew once the texts are spoken (espeak-ng; slow on a busy machine).
            expect(page.locator("#info-spoken audio")).to_be_attached(timeout=SPOKEN_WITHIN_MS)
            expect(page.locator("#being-spoken")).to_have_count(0)
            expect(page.locator("#info-spoken-label")).to_have_text(
                "Het opgeslagen bericht, zoals bellers het nu horen:"
            )
            shot(page, "7-spoken")
        finally:
            browser.close()

"""The admin page in a real browser (Debian's chromium, driven by Playwright): what staff actually do."""

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.audio.signals import encode, speech_wav
from tests.local_server import running_server
from tests.web.test_admin import SAVE_WAITS_FOR_SPEECH_S

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "demo@greetline.test", "demo-password"
# Flags for a closed network: no background connections, no update checks (see the machine notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A save speaks its texts before it answers here (speaking_grace_s below): the first one speaks every text of the
# demo, which took over 30 s (Playwright's default for a click and its navigation) on a busy machine.
ACTION_TIMEOUT_MS = 180_000
# A phone screen in a Dutch browser: the login page follows the browser's Accept-Language (chromium's own is en-US).
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "nl-NL"}

if not shutil.which(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is not installed; `make test` installs it", allow_module_level=True)

from playwright.sync_api import Dialog, Page, expect, sync_playwright  # noqa: E402


@contextmanager
def phone_browser(base_url: str) -> Iterator[Page]:
    """A page in Debian's chromium the size of a phone screen, not logged in."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(**PHONE, base_url=base_url)
            page.set_default_timeout(ACTION_TIMEOUT_MS)
            yield page
        finally:
            browser.close()


@pytest.fixture
def page(settings: Settings, demo_text: str, tmp_path: Path) -> Iterator[Page]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    # Speech from espeak-ng on this machine: Google's endpoint is outside 127.0.0.1.
    local = {
        "public_url": "http://greetline.test",
        "tts_engines": ("espeak",),
        "speaking_grace_s": SAVE_WAITS_FOR_SPEECH_S,
    }
    app = create_app(settings.model_copy(update=local), clock=lambda: TUESDAY_10)
    with running_server(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(**PHONE, base_url=url)
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.goto("/admin/login")
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
        yield page
        browser.close()


def test_ring_count_seconds_follow_the_slider_and_the_transcript_follows_the_save(page: Page) -> None:
    page.get_by_role("link", name="Instellingen").click()
    slider = page.get_by_label("Aantal keer overgaan", exact=True)
    slider.fill("7")
    expect(page.locator("#ring-seconds")).to_have_text("7 keer overgaan is ongeveer 35 seconden.")
    expect(page.locator("#ring-warnings")).to_contain_text("de meeste bellers hangen op")
    slider.fill("3")
    expect(page.locator("#ring-seconds")).to_have_text("3 keer overgaan is ongeveer 15 seconden.")
    expect(page.locator("#ring-warnings li")).to_have_count(0)
    page.locator("form[action='/admin/settings/rings'] button").click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen")
    expect(page.locator(".transcript")).to_contain_text("Gaat tot 15 s over bij:")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-settings.png"), full_page=True)


def test_upload_a_greeting_and_see_its_player_and_picture(page: Page, tmp_path: Path) -> None:
    voice = speech_wav(tmp_path / "voice.wav", "Goedemiddag, u spreekt met Huisartsenpraktijk De Linde.")
    encode(voice, tmp_path / "welkom.m4a", "-c:a", "aac")
    page.get_by_role("link", name="Begroetingen").click()
    page.get_by_label("Opname uploaden").set_input_files(str(tmp_path / "welkom.m4a"))
    page.locator("form[action='/admin/greetings/upload'] button").click()
    recording = page.locator("section.recording", has_text="welkom.m4a")
    expect(recording.locator("audio")).to_have_attribute("src", re.compile(r"^/media/[0-9a-f]{64}\.mp3$"))
    expect(recording.get_by_role("img")).to_be_visible()
    assert recording.locator("svg path").get_attribute("d", timeout=5000).startswith("M0,24")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-greetings.png"), full_page=True)


def test_add_a_holiday_period_after_an_overlap_is_refused_with_both_named(page: Page) -> None:
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_label("Van", exact=True).fill("2026-12-31")
    page.get_by_label("Tot en met").fill("2027-01-04")
    page.get_by_label("Begroeting in die periode").fill("Met oud en nieuw belt u de waarneming.")
    page.get_by_label("Doorverbinden met", exact=True).fill("020 999 9999")
    page.get_by_role("button", name="Periode toevoegen").click()
    refusal = page.locator("#period-error")  # the demo's Christmas period runs to 1 January
    expect(refusal).to_contain_text("31 december 2026 \u2013 4 januari 2027")
    expect(refusal).to_contain_text("24 december 2026 \u2013 1 januari 2027")
    expect(page.get_by_label("Begroeting in die periode")).to_have_value("Met oud en nieuw belt u de waarneming.")
    page.get_by_label("Van", exact=True).fill("2027-01-02")
    page.get_by_role("button", name="Periode toevoegen").click()
    expect(page.locator("#periods")).to_contain_text(
        "2 januari 2027 \u2013 4 januari 2027: Met oud en nieuw belt u de waarneming. doorverbonden met 020 999 9999"
    )


def test_the_api_docs_render_from_the_apps_own_files(page: Page) -> None:
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Greetline")
    expect(page.locator(".opblock").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))


def test_deleting_a_period_asks_first_and_a_no_keeps_it(page: Page) -> None:
    page.get_by_role("link", name="Instellingen").click()
    remove = page.get_by_role("button", name=re.compile("^Periode verwijderen: 24 december 2026"))
    asked: list[str] = []

    def answer(dialog: Dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    remove.click()
    expect(page.locator("#periods li")).to_have_count(1)  # "no": nothing sent, the period stays
    assert asked == ["De periode 24 december 2026 \u2013 1 januari 2027 verwijderen?"]
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    remove.click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen")
    expect(page.locator("#periods li")).to_have_count(0)

"""The inbox in a real browser (Debian's chromium, driven by Playwright): a message left the real way is listed,
plays from our private copy with the staff member's session, and is marked handled."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.settings import Settings
from tests.browser.test_admin_browser import ACTION_TIMEOUT_MS, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio
from tests.web.inbox_setup import EMAIL, PASSWORD, Inbox, inbox_server

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

# The fake Twilio's recording is two seconds of tone (tests.fakes.twilio_api.voicemail_mp3).
RECORDING_S = 2.0


@pytest.fixture
def inbox(
    settings: Settings, demo_text: str, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> Iterator[Inbox]:
    with inbox_server(settings, demo_text, mail_server, twilio_api, tmp_path) as served:
        yield served


@pytest.fixture
def page(inbox: Inbox) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(**PHONE, base_url=inbox.url)
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.goto("/admin/login")
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
        yield page
        browser.close()


def test_read_listen_to_and_handle_a_message(inbox: Inbox, page: Page) -> None:
    sid = inbox.leave_message("+31611112222", duration_s=2)
    inbox.clock.advance(60)
    assert inbox.run_worker() == 4
    page.get_by_role("link", name="Berichten").click()
    message = page.locator(f"section#{sid}")
    expect(message).to_contain_text("06 11 11 22 22")
    expect(message).to_contain_text("na 4 keer overgaan")
    expect(message.locator("tr.delivery.sent")).to_have_count(3)
    player = message.locator("audio")
    expect(player).to_have_attribute("src", f"/admin/messages/{sid}.mp3")
    # The browser loads the recording with the staff member's session: its length is known once it has.
    page.wait_for_function("document.querySelector('section.message audio').readyState >= 1", timeout=10_000)
    duration_s = player.evaluate("audio => audio.duration")
    assert abs(duration_s - RECORDING_S) < 0.3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)
    message.get_by_role("button", name="Markeer als afgehandeld").click()
    handled = page.locator(f"section#{sid}")
    expect(handled.locator(".badge")).to_have_text("Afgehandeld")
    expect(handled.get_by_role("button", name="Markeer als afgehandeld")).to_have_count(0)

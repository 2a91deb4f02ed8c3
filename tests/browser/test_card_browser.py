"""The answering service's card in a real browser at phone width (Debian's chromium, driven by Playwright): the
instructions and today's calls are readable without zooming or scrolling sideways, a refused number keeps what
was typed, and a note sent from the form reaches the business's mailbox (a real SMTP server)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.settings import Settings
from tests.browser.test_admin_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio
from tests.web.card_setup import CardServer, card_server

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def served(settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path) -> Iterator[CardServer]:
    with card_server(settings, mail_server, twilio_api, tmp_path) as server:
        yield server


@pytest.fixture
def page(served: CardServer) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport=PHONE, base_url=served.url)
        browser.close()


def test_the_card_on_a_phone_and_a_note_sent_from_it(served: CardServer, page: Page, mail_server: MailServer) -> None:
    served.call_to_service("+31611112222", "1")
    served.clock.advance(300)
    served.call_to_service("+31633334444", None)
    page.goto(f"/card/{served.token}")
    expect(page.get_by_role("heading", name="Installatiebedrijf Jansen")).to_be_visible()
    expect(page.get_by_text("Afspraken alleen op dinsdag.")).to_be_visible()
    expect(page.locator(".urgent")).to_contain_text("Monteur Piet, 06 1111 2222.")
    calls = page.locator("ol.calls li")
    expect(calls).to_have_count(2)
    expect(calls.nth(0)).to_contain_text("geen keuze gemaakt in het menu")
    expect(calls.nth(1)).to_contain_text("gekozen: spoed")
    # Readable at phone width: nothing wider than the screen, text no smaller than 16 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    font_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.instructions')).fontSize)")
    assert font_px >= 16
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "card.png"), full_page=True)

    page.get_by_label("Naam van de beller").fill("Mevrouw De Vries")
    page.get_by_label("Nummer van de beller").fill("06 12")
    page.get_by_label("Bericht").fill("Lekkage onder de gootsteen.")
    page.get_by_label("Spoed (ook per sms)").check()
    page.get_by_role("button", name="Notitie versturen").click()
    number = page.get_by_label("Nummer van de beller")
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#caller_number-error")).to_contain_text("Dit is geen telefoonnummer")
    expect(page.get_by_label("Bericht")).to_have_value("Lekkage onder de gootsteen.")
    expect(page.get_by_label("Spoed (ook per sms)")).to_be_checked()
    number.fill("06 1234 5678")
    page.get_by_role("button", name="Notitie versturen").click()
    expect(page.get_by_role("status")).to_contain_text("de notitie is onderweg")
    assert served.run_worker() == 2
    mail = mail_server.inbox.wait_for(1)[0]
    assert "Lekkage onder de gootsteen." in mail.get_content()

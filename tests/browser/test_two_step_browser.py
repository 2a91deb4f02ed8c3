"""Two-step login and the password reset in a real browser (Debian's chromium, Playwright; issue 24): an owner sets
two-step login up from the QR page, logs out, is asked for the code, is refused a wrong one in Dutch, and gets in
with the app's next code and with a recovery code; a forgotten password is reset through the link a real SMTP
server received, and the link refused the second time. Screenshots go to artifacts/."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.browser.test_admin_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, EMAIL, PASSWORD, TUESDAY_10
from tests.fakes.smtp import MailServer, running_mail_server
from tests.local_server import running_server


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with running_mail_server() as server:
        yield server


@pytest.fixture
def page(settings: Settings, demo_text: str, mail: MailServer) -> Iterator[Page]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    local = {
        "public_url": "http://greetline.test",
        "tts_engines": ("espeak",),
        "require_2fa": True,
        "smtp_url": mail.url,
    }
    app = create_app(settings.model_copy(update=local), clock=lambda: TUESDAY_10)
    with running_server(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL", base_url=url)
        browser.close()


def _password(page: Page) -> None:
    page.goto("/admin/login")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_an_owner_sets_up_two_step_login_and_logs_in_with_a_code_and_a_recovery_code(page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    _password(page)
    # GREETLINE_REQUIRE_2FA: the owner lands on its login's page, told to set it up first.
    expect(page.get_by_text("Eigenaren loggen hier in twee stappen in.")).to_be_visible()
    page.get_by_role("button", name="Inloggen in twee stappen instellen").click()
    expect(page.locator("#qr svg")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "two-step-setup.png"), full_page=True)
    totp = pyotp.TOTP(page.locator("#totp-key").inner_text().replace(" ", ""))
    page.get_by_label("Code uit de app").fill(totp.at(TUESDAY_10))
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_text("Inloggen in twee stappen staat aan.")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-f]{5}-[0-9a-f]{5}", code) for code in codes)
    page.get_by_role("button", name="Uitloggen").click()

    _password(page)
    page.get_by_label("Code uit de app of een herstelcode").fill(totp.at(TUESDAY_10))  # the one used to set it up
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#code-error")).to_have_text("Deze code klopt niet of is al gebruikt.")
    page.screenshot(path=str(ARTIFACTS / "two-step-wrong-code.png"), full_page=True)
    page.get_by_label("Code uit de app of een herstelcode").fill(totp.at(TUESDAY_10 + timedelta(seconds=30)))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    _password(page)
    page.get_by_label("Code uit de app of een herstelcode").fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    _password(page)
    page.get_by_label("Code uit de app of een herstelcode").fill(codes[0])  # a second time
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#code-error")).to_have_text("Deze code klopt niet of is al gebruikt.")


def test_a_forgotten_password_is_reset_through_the_mailed_link_once(page: Page, mail: MailServer) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/admin/login")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_role("button", name="Stuur mij een link").click()
    expect(page.get_by_role("status")).to_contain_text("Als dit adres een login heeft")
    (message,) = mail.inbox.wait_for(1)
    found = re.search(r"http://greetline\.test(/admin/password/reset\?token=[\w-]+)", message.get_content())
    assert found
    page.goto(found.group(1))
    page.get_by_label("Nieuw wachtwoord").fill("een-nieuw-wachtwoord")
    page.screenshot(path=str(ARTIFACTS / "password-reset.png"), full_page=True)
    page.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw wachtwoord is gewijzigd")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill("een-nieuw-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Eigenaren loggen hier in twee stappen in.")).to_be_visible()  # in: on to set it up
    page.goto(found.group(1))  # the same link again
    expect(page.get_by_role("alert")).to_contain_text("Deze link is al gebruikt.")
    page.screenshot(path=str(ARTIFACTS / "password-reset-replayed.png"), full_page=True)

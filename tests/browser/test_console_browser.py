"""The answering service's console in chromium across two replicas (issue 26, "done when"): two `greetline serve`
processes on one PostgreSQL database; the console is open on replica B, a call is put through to the service on
replica A (its whisper webhook, signed as Twilio signs it), and the plumber's card is on B's screen within a second.
A note typed there with the keyboard alone reaches the plumber's mailbox (aiosmtpd), delivered by A's worker."""

import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from ivr.roles import ANSWERING
from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.browser.test_admin_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.conftest import TEST_TOKEN, own_postgres_database
from tests.fakes.smtp import MailServer
from tests.fakes.tcp_proxy import stalling_proxy
from tests.fakes.twilio_api import FakeTwilio
from tests.local_server import ServerProcess, server_process
from tests.messages.documents import call_sid
from tests.twilio_client import TwilioLikeClient
from tests.web.card_setup import NOW, card_server

pytest_plugins = ["tests.fakes.smtp", "tests.fakes.twilio_api"]

from playwright.sync_api import expect, sync_playwright  # noqa: E402

PUBLIC_URL = "http://greetline.test"
SERVICE_NUMBER = "+31208888888"
EMAIL, PASSWORD = "telefoniste@antwoordservice.example", "een-lang-wachtwoord"
PLUMBER = f"""\
business: Loodgietersbedrijf Van Dijk
numbers: ["+31207770000"]
language: nl
operators: ["+31617770000"]
menu:
  - {{key: "1", prompt: "Voor lekkages en storingen, toets 1.", dial: ["+31617770001"], label: lekkage}}
overflow: {{dial: "{SERVICE_NUMBER}", notes: {{email: [werkplaats@vandijk.example]}}}}
instructions:
  text: "Lekkage: vraag of de hoofdkraan dicht is."
  urgent: "Monteur Kees, 06 7777 0002."
"""
POPPED_WITHIN_S = 1.0


@dataclass
class Fleet:
    a: ServerProcess
    b: ServerProcess
    business_id: int


@pytest.fixture
def fleet(postgres_unavailable: str | None, mail_server: MailServer, tmp_path: Path) -> Iterator[Fleet]:
    with ExitStack() as stack:
        database_url = stack.enter_context(own_postgres_database(postgres_unavailable))
        upgrade(database_url)
        database = Database(database_url)
        stack.callback(database.dispose)
        now = datetime.now(UTC)
        business_id = apply_text(database, PLUMBER, now).stored.id
        with database.transaction() as session:
            staff.set_login(session, business_id=business_id, email=EMAIL, password=PASSWORD, now=now, role=ANSWERING)

        def machine(name: str, worker: bool) -> dict[str, str]:
            local = tmp_path / name
            return {
                "GREETLINE_DATABASE_URL": database_url,
                "GREETLINE_MEDIA_DIR": str(local / "media"),
                "GREETLINE_SPEECH_CACHE_DIR": str(local / "speech-cache"),
                "GREETLINE_VOICEMAIL_DIR": str(local / "voicemail"),
                "GREETLINE_SNAPSHOT_PATH": str(local / "routing-snapshot.json"),
                "GREETLINE_CALL_LOG_SPILL_PATH": str(local / "call-log-spill.jsonl"),
                "GREETLINE_PUBLIC_URL": PUBLIC_URL,
                "GREETLINE_TWILIO_AUTH_TOKEN": TEST_TOKEN,
                "GREETLINE_SMTP_URL": mail_server.url,
                "GREETLINE_MAIL_FROM": "Greetline <notities@greetline.test>",
                "GREETLINE_SESSION_SECRET": "console-browser-test-session-secret-0123",
                "GREETLINE_TTS_ENGINES": '["espeak"]',
                "GREETLINE_EMBEDDED_WORKER": "true" if worker else "false",
                "GREETLINE_JOB_POLL_S": "0.2",
            }

        a = stack.enter_context(server_process(machine("a", worker=True), arguments=["--no-migrate"]))
        b = stack.enter_context(server_process(machine("b", worker=False), arguments=["--no-migrate"]))
        yield Fleet(a, b, business_id)


def test_a_call_put_through_on_replica_a_pops_up_on_a_console_on_replica_b_and_its_note_is_mailed(
    fleet: Fleet, mail_server: MailServer
) -> None:
    with sync_playwright() as playwright, httpx.Client(base_url=fleet.a.base_url, timeout=10) as on_a:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="nl-NL", base_url=fleet.b.base_url).new_page()
        page.goto("/admin/login")
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page).to_have_url(re.compile(r"/console$"))
        expect(page.locator("#status")).to_have_text("Verbonden")

        call = call_sid()
        leg = {"CallSid": call_sid(), "ParentCallSid": call, "To": SERVICE_NUMBER, "From": "+31612345678"}
        whisper = f"/twilio/whisper?business={fleet.business_id}&via=menu&key=1"
        assert TwilioLikeClient(on_a, TEST_TOKEN, PUBLIC_URL).post(whisper, leg).status_code == 200
        put_through_at = time.monotonic()
        page.wait_for_selector(f'article.card[data-call="{call}"]', timeout=10_000)
        popped_after_s = time.monotonic() - put_through_at
        card = page.locator("article.card")
        expect(card.get_by_role("heading", name="Loodgietersbedrijf Van Dijk")).to_be_visible()
        expect(card.locator(".on-line")).to_contain_text("06 12 34 56 78")
        expect(card.locator(".on-line")).to_contain_text("gekozen: lekkage")
        expect(card.get_by_text("Lekkage: vraag of de hoofdkraan dicht is.")).to_be_visible()
        expect(card.locator(".urgent")).to_contain_text("Monteur Kees, 06 7777 0002.")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "console.png"), full_page=True)
        # On a phone too: nothing wider than the screen.
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "console-phone.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})

        # The keyboard alone: Alt+N to the caller's name; the number is filled in from the call.
        page.keyboard.press("Alt+n")
        page.keyboard.type("Meneer Bakker")
        expect(page.get_by_label("Nummer van de beller")).to_have_value("06 12 34 56 78")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.type("Lekkage in de badkamer, hoofdkraan is dicht.")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("article.card [role=status]")).to_contain_text("de notitie is onderweg")
        browser.close()
    mail = mail_server.inbox.wait_for(1)[0]
    assert mail["To"] == "werkplaats@vandijk.example"
    assert "Meneer Bakker" in mail["Subject"] and "Lekkage in de badkamer, hoofdkraan is dicht." in mail.get_content()
    print(f"the card popped up on B {popped_after_s:.3f} s after the call was put through on A")
    assert popped_after_s < POPPED_WITHIN_S, f"the card popped up {popped_after_s:.2f} s after the call was put through"


def test_a_console_that_lost_its_connection_reconnects_by_itself_and_loses_no_pop_up(
    settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path
) -> None:
    """The browser's own reconnection: a call put through while the console's connection is cut pops up once the
    connection is back (the browser says the last event it had, the server sends what came after)."""
    with (
        card_server(settings, mail_server, twilio_api, tmp_path) as server,
        stalling_proxy(("127.0.0.1", int(server.url.rsplit(":", 1)[1]))) as proxy,
        sync_playwright() as playwright,
    ):
        with server.database.transaction() as session:
            staff.set_login(
                session, business_id=server.business_id, email=EMAIL, password=PASSWORD, now=NOW, role=ANSWERING
            )
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="nl-NL", base_url=f"http://127.0.0.1:{proxy.port}").new_page()
        page.goto("/admin/login")
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        status = page.locator("#status")
        expect(status).to_have_text("Verbonden")
        server.call_to_service("+31611112222", "1")
        expect(page.locator("article.card .caller")).to_have_text("06 11 11 22 22")

        proxy.stall()  # the way back is not there yet: the browser's next attempts wait
        proxy.drop()
        expect(status).to_have_text("Verbinding verbroken; opnieuw verbinden…")
        server.call_to_service("+31633334444", None)  # put through while the console is cut off
        proxy.resume()
        expect(status).to_have_text("Verbonden", timeout=10_000)
        expect(page.locator("article.card .caller")).to_have_text("06 33 33 44 44", timeout=10_000)
        expect(page.locator("#earlier button")).to_contain_text(["Installatiebedrijf Jansen \u2013 06 11 11 22 22"])
        browser.close()

"""The statistics and the calls page's filters in a real browser (Debian's chromium) at phone width, screenshots kept
as artifacts."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ivr.settings import Settings
from ivr.store import call_import, staff
from ivr.store.calls import LoggedCall
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.browser.test_admin_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, EMAIL, PASSWORD
from tests.local_server import running_server

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
REASONS = (
    "answered_staff",
    "answered_service",
    "message_left",
    "hung_up_welcome",
    "hung_up_ringing",
    "closed_no_message",
)


def four_weeks_of_calls(business_id: int) -> Iterator[LoggedCall]:
    """About 300 calls, spread over days, hours and reasons by simple arithmetic (the same every run)."""
    for index in range(300):
        started = NOW - timedelta(hours=(index * 37) % (27 * 24), minutes=index % 60)
        reason = REASONS[index % len(REASONS)]
        answered = reason.startswith("answered")
        yield LoggedCall(
            f"CA{index:04}",
            business_id,
            "+31501234567",
            f"+316{index % 7:08}",
            started,
            ["welcome+menu", "menu:1" if index % 5 == 0 else "operators:completed"],
            "operator" if answered else "hung up",
            started + timedelta(seconds=60),
            (index * 7) % 70,
            end_reason=reason,
            person_s=float((index * 11) % 75) if answered else None,
        )


@pytest.fixture
def page(settings: Settings, demo_text: str) -> Iterator[Page]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, NOW).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=NOW)
    with database.engine.begin() as connection:
        call_import.import_calls(connection, four_weeks_of_calls(business.id))
    database.dispose()
    app = create_app(settings.model_copy(update={"public_url": "http://greetline.test"}), clock=lambda: NOW)
    with running_server(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL", base_url=url)
        page.goto("/admin/login")
        page.get_by_label("E-mailadres").fill(EMAIL)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
        yield page
        browser.close()


def _fits_the_phone(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the phone"


def test_the_four_charts_fit_a_phone_in_two_languages(page: Page) -> None:
    page.get_by_role("link", name="Statistieken").click()
    charts = page.get_by_role("img")
    for name in (
        "Oproepen per dag",
        "Oproepen per uur van de week",
        "Tijd van de eerste beltoon",
        "Waar bellers ophangen",
    ):
        chart = page.get_by_role("img", name=name)
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and 300 <= box["width"] <= 390
    assert charts.count() >= 4
    _fits_the_phone(page)
    page.get_by_text("De cijfers als tabel").first.click()
    expect(page.locator("#per-day table")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "statistics-nl.png"), full_page=True)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Where callers hang up")).to_be_visible()
    _fits_the_phone(page)
    page.screenshot(path=str(ARTIFACTS / "statistics-en.png"), full_page=True)


def test_find_a_callers_calls_in_a_date_range(page: Page) -> None:
    page.get_by_role("link", name="Gesprekken", exact=True).click()
    page.get_by_label("Van", exact=True).fill("2026-11-20")
    page.get_by_label("Tot en met", exact=True).fill("2026-11-24")
    page.get_by_label("Telefoonnummer").fill("06 0000 0003")
    page.get_by_label("Waarom beëindigd").select_option("answered_service")
    page.get_by_role("button", name="Tonen").click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("opgenomen door de antwoorddienst")
    texts = rows.all_inner_texts()
    # Calls 3, 45, 87, ... are the caller's; of those every sixth is answered by the service.
    assert texts and all("antwoorddienst" in text for text in texts)
    _fits_the_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "calls-filtered.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden (CSV)").click()
    assert download.value.suggested_filename == "calls.csv"

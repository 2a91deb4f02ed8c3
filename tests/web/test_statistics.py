"""/admin/statistics over real HTTP: four charts drawn on the server from the call log, with their words in the
page's language and their numbers as text."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import call_import, staff
from ivr.store.calls import LoggedCall
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.local_server import running_server
from tests.web.test_admin import EMAIL, PASSWORD, log_in

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


def call(sid: str, business_id: int, hours_ago: float, path: list[str], reason: str, **extra: object) -> LoggedCall:
    started = NOW - timedelta(hours=hours_ago)
    return LoggedCall(
        sid,
        business_id,
        "+31501234567",
        "+31612345678",
        started,
        path,
        str(extra.get("outcome", "hung up")),
        started + timedelta(seconds=40),
        extra.get("duration_s", 40),  # type: ignore[arg-type]
        simulated=reason == "simulated",
        end_reason=reason,
        person_s=extra.get("person_s"),  # type: ignore[arg-type]
        urgent=bool(extra.get("urgent")),
    )


@pytest.fixture
def admin(settings: Settings, demo_text: str) -> Iterator[httpx.Client]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, NOW).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=NOW)
    b = business.id
    with database.engine.begin() as connection:
        call_import.import_calls(
            connection,
            [
                # The emergency option (key 1 in the demo): one reached a person in 12 s, one after 45 s.
                call(
                    "E1",
                    b,
                    2,
                    ["welcome+menu", "menu:1", "option:completed"],
                    "answered_staff",
                    person_s=12.0,
                    urgent=True,
                ),
                call(
                    "E2",
                    b,
                    3,
                    ["welcome+menu", "menu:1", "option:completed"],
                    "answered_staff",
                    person_s=45.0,
                    urgent=True,
                ),
                call("A1", b, 26, ["welcome+menu", "operators:completed"], "answered_staff", person_s=8.0),
                call("H1", b, 4, ["welcome+menu"], "hung_up_welcome", duration_s=3),
                call("H2", b, 5, ["welcome+menu"], "hung_up_ringing", duration_s=52),
                call("V1", b, 6, ["closed:hours", "voicemail:recorded"], "message_left", outcome="voicemail"),
                call("T1", b, 1, ["welcome+menu"], "simulated"),  # never counted
                call("OLD", b, 24 * 40, ["welcome+menu"], "hung_up_menu"),  # before the four weeks
            ],
        )
    database.dispose()
    app = create_app(settings.model_copy(update={"public_url": "http://greetline.test"}), clock=lambda: NOW)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        log_in(http)
        yield http


def test_four_charts_with_their_text(admin: httpx.Client) -> None:
    page = admin.get("/admin/statistics")
    assert page.status_code == 200
    text = page.text
    assert text.count('role="img"') == 4 and "<script" not in text
    assert "Oproepen per dag, de laatste vier weken" in text
    assert "6 oproepen in 28 dagen" in text  # the test call and the call of 40 days ago left out
    # Three answered calls, two within 30 s; the emergency option: one of two within 30 s.
    assert "2 van 3 aangenomen oproepen kregen binnen 30 s een mens (67 %)" in text
    assert "Spoedkeuze: 1 van 2 oproepen binnen 30 s (50 %)" in text
    assert "welkom: 1, informatie: 0, keuzemenu: 0, overgaan: 1" in text
    # Every chart names its title and description for assistive technology.
    for chart in ("per-day", "per-hour", "waits", "hang-ups"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in text


def test_the_page_speaks_the_chosen_language(admin: httpx.Client) -> None:
    admin.get("/admin/language/fr")
    text = admin.get("/admin/statistics").text
    assert "Où les appelants raccrochent" in text and "Oproepen" not in text
    bars = re.findall(r"<rect [^>]*fill=\"#2f6db5\"/>", text)
    assert bars, "the histograms draw bars"

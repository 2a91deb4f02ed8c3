"""The call log found and taken away: the calls page's filters (phone number, a date range, why a call ended) and
the CSV, from the page and from the API, over real HTTP."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import call_import, keys, staff
from ivr.store.calls import LoggedCall
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.local_server import running_server
from tests.web.test_admin import EMAIL, PASSWORD, log_in

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OTHER = 'business: Loodgieter Jansen\nnumbers: ["+31201234567"]\noperators: ["+31201111111"]\n'


@dataclass
class Setup:
    http: httpx.Client
    business_id: int
    key: str
    other_key: str


def logged(sid: str, business_id: int, days_ago: int, caller: str, reason: str, **extra: object) -> LoggedCall:
    started = NOW - timedelta(days=days_ago)
    values: dict[str, object] = {"outcome": "hung up", "duration_s": 7, "person_s": None, "simulated": False}
    values.update(extra)
    return LoggedCall(
        sid,
        business_id,
        "+31501234567",
        caller,
        started,
        ["welcome"],
        values["outcome"],  # type: ignore[arg-type]
        started + timedelta(seconds=7),
        values["duration_s"],  # type: ignore[arg-type]
        simulated=bool(values["simulated"]),
        end_reason=reason,
        person_s=values["person_s"],  # type: ignore[arg-type]
    )


@pytest.fixture
def setup(settings: Settings, demo_text: str) -> Iterator[Setup]:
    database = Database(settings.database_url)
    demo = apply_text(database, demo_text, NOW).stored
    other = apply_text(database, OTHER, NOW).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=demo.id, email=EMAIL, password=PASSWORD, now=NOW)
        _, key = keys.create(session, business_id=demo.id, label="export", now=NOW)
        _, other_key = keys.create(session, business_id=other.id, label="", now=NOW)
    with database.engine.begin() as connection:
        call_import.import_calls(
            connection,
            [
                logged("CA-OLD", demo.id, 10, "+31612345678", "hung_up_welcome"),
                logged("CA-ANSWERED", demo.id, 1, "+31612345678", "answered_staff", outcome="operator", person_s=8.5),
                logged("CA-OTHER-CALLER", demo.id, 1, "+31207654321", "hung_up_ringing", duration_s=33),
                logged("CA-TEST", demo.id, 0, "+31612345678", "simulated", simulated=True),
                logged("CA-FORMULA", demo.id, 0, "=HYPERLINK(1)", "failed", outcome="fallback"),
                logged("CA-ELSEWHERE", other.id, 1, "+31612345678", "busy", outcome="missed"),
            ],
        )
    database.dispose()
    app = create_app(settings.model_copy(update={"public_url": "http://greetline.test"}), clock=lambda: NOW)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield Setup(http, demo.id, key, other_key)


def rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_the_api_streams_the_window_asked_for_in_the_business_zone(setup: Setup) -> None:
    headers = {"Authorization": f"Bearer {setup.key}"}
    since = (NOW - timedelta(days=2)).isoformat()
    url = f"/api/v1/businesses/{setup.business_id}/calls.csv"
    found = rows(setup.http.get(url, params={"since": since}, headers=headers))
    assert [row["call_sid"] for row in found] == ["CA-ANSWERED", "CA-OTHER-CALLER", "CA-FORMULA", "CA-TEST"]
    answered = found[0]
    assert answered["started_at"] == "2026-11-23T10:00:00+01:00"  # Amsterdam in November
    assert (answered["end_reason"], answered["seconds_to_person"], answered["test_call"]) == (
        "answered_staff",
        "8.5",
        "no",
    )
    assert found[2]["caller"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert found[3]["test_call"] == "yes"


def test_another_business_key_gets_no_csv(setup: Setup) -> None:
    headers = {"Authorization": f"Bearer {setup.other_key}"}
    assert setup.http.get(f"/api/v1/businesses/{setup.business_id}/calls.csv", headers=headers).status_code == 404


def test_the_api_lists_why_each_call_ended_and_filters_on_it(setup: Setup) -> None:
    headers = {"Authorization": f"Bearer {setup.key}"}
    url = f"/api/v1/businesses/{setup.business_id}/calls"
    listed = setup.http.get(url, params={"end_reason": "hung_up_ringing"}, headers=headers).json()
    assert [(c["call_sid"], c["end_reason"]) for c in listed] == [("CA-OTHER-CALLER", "hung_up_ringing")]
    by_caller = setup.http.get(url, params={"caller": "0612345678"}, headers=headers).json()
    assert [c["call_sid"] for c in by_caller] == ["CA-TEST", "CA-ANSWERED", "CA-OLD"]
    assert setup.http.get(url, params={"end_reason": "sleeping"}, headers=headers).status_code == 422


def test_the_calls_page_filters_by_number_days_and_reason(setup: Setup) -> None:
    log_in(setup.http)
    page = setup.http.get("/admin/calls", params={"caller": "06 1234 5678", "from": "2026-11-20", "to": "2026-11-23"})
    assert page.status_code == 200
    assert "Waarom beëindigd" in page.text and "opgenomen door een medewerker" in page.text
    assert page.text.count("<tr><td>") == 1  # the answered call: the older one and the test call are outside the days
    hung_up = setup.http.get("/admin/calls", params={"reason": "hung_up_welcome"}).text
    assert "opgehangen tijdens de welkomstgroet (na 7 s)" in hung_up and hung_up.count("<tr><td>") == 1
    assert 'href="/admin/calls.csv?from=2026-11-20&amp;to=2026-11-23"' in page.text


def test_the_calls_page_downloads_its_days_as_csv(setup: Setup) -> None:
    log_in(setup.http)
    found = rows(setup.http.get("/admin/calls.csv", params={"from": "2026-11-24", "to": "2026-11-24"}))
    assert sorted(row["call_sid"] for row in found) == ["CA-FORMULA", "CA-TEST"]

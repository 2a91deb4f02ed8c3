"""Changes that would silently open the line day and night or hang up on callers are refused: in Dutch, at the
field (tied to it with aria-describedby), with what was typed still in the form, and nothing stored."""

import html
import re
from typing import Any

import httpx
import pytest

from ivr.settings import Settings
from tests.web.test_admin import admin, log_in, stored_document

__all__ = ["admin"]  # the fixture, used by name

PERIOD = {"start": "2027-03-01", "end": "2027-03-05", "text": "Wij zijn op vakantie.", "route": "dial"}


def refusal_at(page: str, field: str) -> str:
    found = re.search(rf'<p id="{field}-error" class="field-error">([^<]*)</p>', page)
    assert found is not None, f"no refusal at {field}"
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("form", "data", "field", "described_by", "dutch", "kept"),
    [
        (
            "hours",
            {"hours": ""},
            "hours",
            r'<textarea id="hours" name="hours"[^>]*aria-describedby="hours-help hours-error"',
            "vink 'Altijd open' aan",
            '<input type="checkbox" name="always_open" value="on">',  # as sent: not ticked
        ),
        (
            "hours",
            {"hours": "ma-vr 08:00-17:00", "always_open": "on"},
            "hours",
            r'<textarea id="hours" name="hours"[^>]*aria-describedby="hours-help hours-error"',
            "niet allebei",
            ">ma-vr 08:00-17:00</textarea>",
        ),
        (
            "periods",
            {**PERIOD, "dial": ""},
            "period_route",
            r'<fieldset aria-describedby="period_route-error"',
            "Zeg waar gesprekken heen gaan",
            'value="Wij zijn op vakantie."',
        ),
        (
            "periods",
            {**PERIOD, "route": "voicemail", "email": "geen-adres"},
            "period",
            r'<input id="from" name="start"[^>]*aria-describedby="period-error"',
            "geen-adres is geen e-mailadres",
            'value="geen-adres"',
        ),
        (
            "periods",
            {**PERIOD, "start": "2026-12-31", "end": "2027-01-04", "dial": "020 999 9999"},
            "period",
            r'<input id="from" name="start"[^>]*aria-describedby="period-error"',
            "31 december 2026 \u2013 4 januari 2027",  # both named: the new one and the demo's Christmas period
            'value="020 999 9999"',
        ),
    ],
)
def test_a_dangerous_change_is_refused_at_its_field_and_nothing_is_stored(
    admin: httpx.Client,
    settings: Settings,
    form: str,
    data: dict[str, Any],
    field: str,
    described_by: str,
    dutch: str,
    kept: str,
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    page = admin.post(f"/admin/settings/{form}", data={**data, "csrf": token})
    assert page.status_code == 422
    assert dutch in refusal_at(page.text, field)
    assert re.search(described_by, page.text), described_by
    assert kept in page.text
    assert stored_document(settings) == before


def test_an_overlap_names_both_periods(admin: httpx.Client) -> None:
    token = log_in(admin)
    data = {**PERIOD, "start": "2026-12-31", "end": "2027-01-04", "dial": "020 999 9999", "csrf": token}
    refusal = refusal_at(admin.post("/admin/settings/periods", data=data).text, "period")
    assert "31 december 2026 \u2013 4 januari 2027" in refusal and "24 december 2026 \u2013 1 januari 2027" in refusal


def test_an_overlap_in_english_names_the_periods_in_british_dates_like_every_other_page(admin: httpx.Client) -> None:
    admin.get("/admin/language/en")
    token = log_in(admin)
    data = {**PERIOD, "start": "2026-12-31", "end": "2027-01-04", "dial": "020 999 9999", "csrf": token}
    refusal = refusal_at(admin.post("/admin/settings/periods", data=data).text, "period")
    assert "31 December 2026 \u2013 4 January 2027" in refusal and "24 December 2026 \u2013 1 January 2027" in refusal


def test_every_delete_and_go_back_asks_first(admin: httpx.Client) -> None:
    """The question is asked in the browser (confirm.html); here: every such form carries one, in Dutch."""
    token = log_in(admin)
    assert admin.post("/admin/settings/rings", data={"rings": "3", "csrf": token}).status_code == 200  # a 2nd version
    pages = {path: admin.get(path).text for path in ("/admin/settings", "/admin/history", "/admin/staff")}
    destructive = re.compile(r'<form method="post" action="(/admin/[^"]*/(delete|restore|remove)[^"]*)"([^>]*)>')
    found = [(path, match) for path, page in pages.items() for match in destructive.finditer(page)]
    assert {path for path, _ in found} >= {"/admin/settings"}
    # Going back in the history is asked on a page of its own, which shows what would change (tests/web/
    # test_history_undo.py); the history page itself sends nothing.
    assert "<form" not in pages["/admin/history"].split("<main", 1)[1]
    for path, match in found:
        question = re.search(r'data-confirm="([^"]+)"', match.group(3))
        assert question is not None, f"{match.group(1)} on {path} does not ask first"
        assert "?" in question.group(1) and re.search("verwijder|terug", question.group(1), re.IGNORECASE)

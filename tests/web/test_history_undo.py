"""The history page undoes one change and keeps the later ones, or restores a whole version when asked for that,
said plainly; either is first shown with what will change, and nothing is saved until it is confirmed. Every value
is in words in the page's language: no `True`, `simultaneous`, `{mon-fri: ...}` or media hashes."""

import html
import re

import httpx

from ivr.settings import Settings
from tests.web.test_admin import admin, log_in, stored_document

__all__ = ["admin"]  # the fixture, used by name

FEBRUARY = {"start": "2027-02-15", "end": "2027-02-19", "text": "Wij zijn met vakantie.", "route": "voicemail"}
# The period's text is spoken as it is saved: on a busy machine (two cores, tests beside) it took over 30 s.
SPEAKING_TIMEOUT_S = 180


def links(page: str, way: str) -> list[int]:
    """The versions offering `way` ("undo", "restore"), newest first."""
    return [int(found) for found in re.findall(rf'href="/admin/history/(\d+)/{way}"', page)]


def shown(page: str) -> str:
    """The page's text as a visitor reads it (tags and the style left out)."""
    body = page.split("<main", 1)[1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def the_managers_day(admin: httpx.Client, token: str) -> None:
    """The issue's day: the ring count, an added period, then the opening hours (not the welcome of the issue's
    day: a new text is spoken on saving, slow on a busy machine; tests/document/test_undo.py undoes a welcome)."""
    assert admin.post("/admin/settings/rings", data={"rings": "3", "csrf": token}).status_code == 200
    boxed = {**FEBRUARY, "email": "praktijk@example.nl", "csrf": token}
    assert admin.post("/admin/settings/periods", data=boxed, timeout=SPEAKING_TIMEOUT_S).status_code == 200
    hours = admin.post("/admin/settings/hours", data={"hours": "ma-do 08:00-17:00", "holidays": "on", "csrf": token})
    assert hours.status_code == 200, hours.text[:300]


def test_undoing_the_ring_count_keeps_the_period_and_the_hours_changed_after_it(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    the_managers_day(admin, token)
    history = admin.get("/admin/history").text
    _hours, period_version, rings_version = links(history, "undo")  # the demo's first version: nothing
    assert len(re.findall('class="version"', history)) == 4
    before = stored_document(settings)

    # First shown, with what will change: the ring count only, from 3 back to 4; nothing saved yet.
    asked = admin.get(f"/admin/history/{rings_version}/undo")
    assert asked.status_code == 200
    said = shown(asked.text)
    assert "Deze ene wijziging van 24-11-2026, 10:00 ongedaan maken?" in said
    assert "Aantal keer overgaan Voor: 3 keer Na: 4 keer" in said
    assert "Tijdelijke instructies" not in said and "Openingstijden" not in said
    assert stored_document(settings) == before

    done = admin.post(f"/admin/history/{rings_version}/undo", data={"csrf": token})
    assert done.status_code == 303
    after = stored_document(settings)
    assert after["rings"] == 4
    assert after["periods"] == before["periods"] and after["hours"] == before["hours"] == {"mon-thu": "08:00-17:00"}

    # Undoing the period takes out that period only; the demo's Christmas period stays.
    admin.post(f"/admin/history/{period_version}/undo", data={"csrf": token})
    periods = stored_document(settings)["periods"]
    assert [period["from"] for period in periods] == ["2026-12-24"]
    assert stored_document(settings)["hours"] == {"mon-thu": "08:00-17:00"} and stored_document(settings)["rings"] == 4


def test_restoring_a_whole_version_is_said_plainly_and_undoes_every_later_change(
    admin: httpx.Client, settings: Settings
) -> None:
    first = stored_document(settings)
    token = log_in(admin)
    the_managers_day(admin, token)
    history = admin.get("/admin/history").text
    oldest = links(history, "restore")[-1]
    assert "De hele versie van 24-11-2026, 10:00 terugzetten" in shown(history)
    asked = shown(admin.get(f"/admin/history/{oldest}/restore").text)
    assert "De hele versie van 24-11-2026, 10:00 terugzetten?" in asked
    assert "elke wijziging daarna wordt ook ongedaan gemaakt" in asked
    for part in ("Aantal keer overgaan", "Tijdelijke instructies", "Openingstijden"):
        assert part in asked
    assert admin.post(f"/admin/history/{oldest}/restore", data={"csrf": token}).status_code == 303
    assert stored_document(settings) == first
    nothing = shown(admin.get(f"/admin/history/{oldest}/restore").text)
    assert "Er zou niets veranderen" in nothing
    assert admin.get("/admin/history/999/undo").status_code == 404
    assert admin.post("/admin/history/999/restore", data={"csrf": token}).status_code == 404


def test_every_value_is_in_words(admin: httpx.Client) -> None:
    token = log_in(admin)
    the_managers_day(admin, token)
    said = shown(admin.get("/admin/history").text)
    # (The demo's welcome has a brace of its own: "{salutation}, u spreekt met ...", the text as typed.)
    for raw in ("True", "False", "simultaneous", "mon-fri", "{mon", "{text", "{email", "'", "None", "+31"):
        assert raw not in said, raw
    assert not re.search(r"[0-9a-f]{16}", said)  # no media hash
    assert "alle tegelijk" in said and "maandag t/m vrijdag 08:00\u201317:00" in said
    assert (
        "Openingstijden Voor: maandag t/m vrijdag 08:00\u201317:00 Na: maandag t/m donderdag 08:00\u201317:00" in said
    )
    assert "gesloten op elke feestdag" in said and "050 111 1111" in said
    admin.get("/admin/language/en")
    english = shown(admin.get("/admin/history").text)
    assert "all at once" in english and "Monday to Friday 08:00\u201317:00" in english

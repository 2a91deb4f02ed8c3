"""The calendar on /admin/answering: set, refused with the reason at its field, and removed."""

import httpx

from ivr.settings import Settings
from tests.web.test_admin import admin, log_in, stored_document

__all__ = ["admin"]  # the fixture, used by name

ICS = "https://calendar.google.com/calendar/ical/praktijk/private-abc/basic.ics"


def test_the_calendar_is_set_refused_and_removed(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    saved = admin.post("/admin/answering/calendar", data={"csrf": token, "calendar_ics": ICS, "calendar_service": "1"})
    assert saved.status_code == 200
    assert f'value="{ICS}"' in saved.text
    assert stored_document(settings)["calendar"] == {"ics": ICS, "when_away": "service"}
    refused = admin.post("/admin/answering/calendar", data={"csrf": token, "calendar_ics": "calendar.google.com"})
    assert refused.status_code == 422 and "beginnend met https:// of webcal://" in refused.text
    assert stored_document(settings)["calendar"] == {"ics": ICS, "when_away": "service"}
    admin.post("/admin/answering/calendar", data={"csrf": token, "calendar_ics": ""})
    assert "calendar" not in stored_document(settings)

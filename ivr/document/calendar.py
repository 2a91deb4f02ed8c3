"""The document's calendar: key (issue 26): the owner's calendar feed, and what calls do while it says away."""

from typing import Literal

from pydantic import Field, field_validator

from ivr.document.codes import Code, refused
from ivr.document.values import Strict


class Calendar(Strict):
    """The owner's calendar as an iCalendar feed (Google Agenda's secret address, an Outlook or Apple link), read by
    the worker every few minutes; `when_away: service` sends calls straight to the answering service while an away
    event runs (issue 26)."""

    ics: str = Field(min_length=1, max_length=2000)
    when_away: Literal["ring", "service"] = "ring"

    @field_validator("ics")
    @classmethod
    def _an_address(cls, value: str) -> str:
        scheme, _, rest = value.strip().partition("://")
        if scheme.lower() not in ("https", "webcal", "http") or not rest or any(c.isspace() for c in rest):
            raise refused(
                Code.NOT_A_CALENDAR_ADDRESS,
                "ics: is the calendar's address, starting with https:// or webcal:// "
                "(Google Agenda: settings, 'secret address in iCal format')",
                value=value[:100],
            )
        return value.strip()

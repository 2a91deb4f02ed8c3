"""A calendar's events as plain data, and the one decision made from them: is the owner away now, and until when.

Pure and light (no parser here: the web server reads stored events without loading icalendar); the feed is read in
ivr.calendar.reading, in the worker.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from ivr.callflow.model import AwaySpell

# Words in a title that say the owner is away, in the four languages of the house (whole words, any case).
AWAY_WORDS = (
    "afwezig", "vakantie", "verlof", "vrij", "ziek",
    "urlaub", "abwesend", "ferien", "krank",
    "congé", "conge", "congés", "absent", "absente", "vacances", "malade",
    "away", "holiday", "holidays", "vacation", "ooo", "out of office", "sick",
)  # fmt: skip
_AWAY = re.compile(r"\b(" + "|".join(re.escape(word) for word in AWAY_WORDS) + r")\b", re.IGNORECASE)


class Refusal(StrEnum):
    """Why a feed's copy was not taken; the card words each (ivr.web.admin catalogues)."""

    NOT_ICALENDAR = "not_icalendar"
    TOO_BIG = "too_big"
    TOO_SLOW = "too_slow"
    PRIVATE_ADDRESS = "private_address"
    NOT_HTTPS = "not_https"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    UNREACHABLE = "unreachable"
    HTTP_ERROR = "http_error"
    TOO_MANY_EVENTS = "too_many_events"


class CalendarRefused(Exception):
    def __init__(self, code: Refusal, detail: str) -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail


# Not the call flow's type: the card shows an event's title and all-day; the flow gets only the spells (AwaySpell).
@dataclass(frozen=True)
class CalendarEvent:
    """One instance of an event in the window, in UTC; an all-day event runs from local midnight to midnight."""

    start: datetime
    end: datetime
    title: str
    away: bool
    all_day: bool = False


@dataclass(frozen=True)
class ReadCalendar:
    events: tuple[CalendarEvent, ...]
    # Events were left out past MAX_INSTANCES (the page says the copy is capped).
    capped: bool = False


def says_away(title: str) -> bool:
    return _AWAY.search(title) is not None


def away_spells(events: Iterable[CalendarEvent]) -> tuple[AwaySpell, ...]:
    """The spells the call flow follows (ivr.callflow.schedule.away_until): the away events' times, nothing else."""
    return tuple((event.start, event.end) for event in events if event.away and event.end > event.start)


def today_at(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The local day at the business around `now`: its first instant and the next day's."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    return datetime.combine(today, time(), tzinfo=zone), datetime.combine(
        today + timedelta(days=1), time(), tzinfo=zone
    )


def window_of(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Today and tomorrow at the business: the card shows today, and an away spell may run past midnight."""
    start, tomorrow = today_at(now, timezone)
    return start, today_at(tomorrow, timezone)[1]


@dataclass(frozen=True)
class CalendarDay:
    """What the card (and the service's console) shows of the owner's calendar on a day (issue 26)."""

    # The events overlapping the local day, in start order.
    events: tuple[CalendarEvent, ...]
    # When the owner is back, if an away event runs now (ivr.callflow.schedule.away_until).
    away_until: datetime | None
    # When the copy shown was fetched; None: no good copy yet.
    fetched_at: datetime | None
    # Why the last fetch was not taken (a Refusal's value), CAPPED when events were left out, else None.
    problem: str | None = None
    problem_detail: str | None = None


# CalendarDay.problem of a copy taken with events left out (MAX_INSTANCES, MAX_SERIES).
CAPPED = "capped"


def day_of(events: Iterable[CalendarEvent], day: tuple[datetime, datetime]) -> tuple[CalendarEvent, ...]:
    """The events overlapping the day (an event of no length: starting in it)."""
    start, end = day
    return tuple(event for event in events if event.start < end and max(event.end, event.start + _INSTANT) > start)


_INSTANT = timedelta(microseconds=1)

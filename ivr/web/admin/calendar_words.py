"""The owner's calendar in words, in the reader's language (issue 26): "afwezig tot 15:00", today's events, and why
the last fetch was not taken. For the answering service's card, and its console, which show the same CardView."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ivr.calendar.away import CAPPED, CalendarDay, CalendarEvent, Refusal
from ivr.web.admin import wording
from ivr.web.admin.i18n import Words

# Between two times, as typesetting has it (an en dash).
EN_DASH = "\u2013"


@dataclass(frozen=True)
class CalendarWords:
    """The card's calendar section: who is away now, today's events, and why the copy may be old."""

    away: str | None
    events: tuple[str, ...]
    problem: str | None


def calendar_words(words: Words, day: CalendarDay, today: date, timezone: str, language: str) -> CalendarWords:
    """For a CardView's calendar (`today`: the view's day)."""
    events = tuple(event_line(words, event, timezone, language) for event in day.events)
    return CalendarWords(
        away_now(words, day, today, timezone, language), events, problem_line(words, day, timezone, language)
    )


def _clock(moment: datetime, timezone: str, language: str) -> str:
    from babel.dates import format_time

    return format_time(moment, "short", tzinfo=ZoneInfo(timezone), locale=wording.calendar_locale(language))


def away_now(words: Words, day: CalendarDay, today: date, timezone: str, language: str) -> str | None:
    """ "Away until 15:00" today, "away until 9 January 2027, 08:00" later, "away up to and including 9 January"
    when it ends at a midnight (an all-day event); None when nobody is away now."""
    if day.away_until is None:
        return None
    local = day.away_until.astimezone(ZoneInfo(timezone))
    if local.time() == time():
        last = wording.long_date(local.date() - timedelta(days=1), language)
        return words.gettext("Away up to and including %(day)s") % {"day": last}
    if local.date() == today:
        return words.gettext("Away until %(time)s") % {"time": _clock(local, timezone, language)}
    moment = wording.local_time(local, timezone, language)
    return words.gettext("Away until %(moment)s") % {"moment": moment}


def event_line(words: Words, event: CalendarEvent, timezone: str, language: str) -> str:
    """ "09:00-10:00 Tandarts (away)", "all day: Vakantie (away)"."""
    if event.all_day:
        when = words.gettext("all day")
    else:
        when = f"{_clock(event.start, timezone, language)}{EN_DASH}{_clock(event.end, timezone, language)}"
    title = event.title or words.gettext("(no title)")
    line = f"{when} {title}"
    return words.gettext("%(event)s (away)") % {"event": line} if event.away else line


def problem_line(words: Words, day: CalendarDay, timezone: str, language: str) -> str | None:
    """Why the calendar shown may not be the latest, or None when it is."""
    if day.fetched_at is None and day.problem is None:
        return words.gettext("The calendar has not been read yet; it is read every few minutes.")
    if day.problem is None:
        return None
    if day.problem == CAPPED:
        return words.gettext("The calendar has more events than are read; some are left out.")
    reason = _refusal(words, day.problem)
    if day.fetched_at is None:
        return words.gettext("The calendar could not be read: %(reason)s.") % {"reason": reason}
    kept = wording.local_time(day.fetched_at, timezone, language)
    return words.gettext("The calendar could not be read: %(reason)s. Shown as read at %(moment)s.") % {
        "reason": reason,
        "moment": kept,
    }


def _refusal(words: Words, code: str) -> str:
    reasons = {
        Refusal.NOT_ICALENDAR: words.gettext("the address does not give a calendar (iCalendar)"),
        Refusal.TOO_BIG: words.gettext("the calendar is larger than 2 MB"),
        Refusal.TOO_SLOW: words.gettext("the calendar's server answered too slowly"),
        Refusal.PRIVATE_ADDRESS: words.gettext("the address leads to a private network"),
        Refusal.NOT_HTTPS: words.gettext("the address does not start with https://"),
        Refusal.TOO_MANY_REDIRECTS: words.gettext("the address redirects too many times"),
        Refusal.UNREACHABLE: words.gettext("the calendar's server cannot be reached"),
        Refusal.HTTP_ERROR: words.gettext("the calendar's server refused (check the address)"),
        Refusal.TOO_MANY_EVENTS: words.gettext("the calendar holds too many events"),
    }
    known = {refusal.value: words for refusal, words in reasons.items()}
    return known.get(code, code)

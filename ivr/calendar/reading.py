"""From an iCalendar feed's bytes to the events of a window (ivr.calendar.away.CalendarEvent).

Pure: bytes and a window in, plain data out (or a CalendarRefused with its code). Parsing is the `icalendar`
package's, repeating events are expanded by `recurring-ical-events` (RRULE, RDATE, EXDATE, moved instances), both
bounded: the worker reads a window of a couple of days, at most MAX_SERIES repeating events and MAX_INSTANCES
events in it.
"""

from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from ivr.calendar.away import CalendarEvent, CalendarRefused, ReadCalendar, Refusal, says_away

# A feed with more events than this in the window (a thousand repeating ones) is cut here, and the page says so.
MAX_INSTANCES = 200
# A feed with more VEVENT components than this is refused: reading each costs time in the worker.
MAX_COMPONENTS = 20_000
# Repeating events expanded at most: each series is stepped from its first instance (dateutil's rrule), about 10 ms
# for a daily one begun ten years ago (measured: 300 such series took 3.1 s of CPU). The most recent are kept.
MAX_SERIES = 100
# Repeating faster than daily is no way to say one is away, and costs the most to expand: left out.
SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
# Titles longer than this are cut on the card.
MAX_TITLE_CHARS = 80


def _busy(component: icalendar.cal.Component) -> bool:
    """RFC 5545 3.8.2.7: TRANSP is OPAQUE (busy) unless marked TRANSPARENT; Outlook's own status wins when given."""
    outlook = str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper()
    if outlook:
        return outlook in ("BUSY", "OOF")
    return str(component.get("TRANSP", "OPAQUE")).upper() != "TRANSPARENT"


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    """A floating time or a date is the business's local time (RFC 5545 3.3.5: floating means local)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return datetime.combine(value, time(), tzinfo=zone)


def _event(component: icalendar.cal.Component, zone: ZoneInfo) -> CalendarEvent | None:
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    started = component.get("DTSTART")
    if started is None:
        return None
    first = started.dt
    all_day = not isinstance(first, datetime)
    ended = component.get("DTEND")
    if ended is not None:
        last = ended.dt
    elif component.get("DURATION") is not None:
        last = first + component.get("DURATION").dt
    else:  # RFC 5545 3.6.1: a date lasts the day, a date-time no time at all
        last = first + timedelta(days=1) if all_day else first
    title = " ".join(str(component.get("SUMMARY", "")).split())[:MAX_TITLE_CHARS]
    start, end = _instant(first, zone).astimezone(UTC), _instant(last, zone).astimezone(UTC)
    return CalendarEvent(start, max(start, end), title, _busy(component) or says_away(title), all_day)


def read_calendar(feed: bytes, window: tuple[datetime, datetime], timezone: str) -> ReadCalendar:
    """The events overlapping `window` (aware instants), in start order, at most MAX_INSTANCES of them."""
    try:
        calendar = icalendar.Calendar.from_ical(feed)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as error:
        raise CalendarRefused(Refusal.NOT_ICALENDAR, str(error)[:200]) from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise CalendarRefused(Refusal.NOT_ICALENDAR, "the feed holds no VCALENDAR")
    components = sum(1 for _ in calendar.walk("VEVENT"))
    if components > MAX_COMPONENTS:
        raise CalendarRefused(Refusal.TOO_MANY_EVENTS, f"{components} events; at most {MAX_COMPONENTS} are read")
    zone = ZoneInfo(timezone)
    dropped = _bound_series(calendar)
    try:
        found = recurring_ical_events.of(calendar, components=["VEVENT"]).between(*window)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise CalendarRefused(Refusal.NOT_ICALENDAR, str(error)[:200]) from None
    events = [event for event in map(lambda found: _event(found, zone), found) if event is not None]
    events.sort(key=lambda event: (event.start, event.end, event.title))
    kept = tuple(islice(events, MAX_INSTANCES))
    return ReadCalendar(kept, capped=dropped or len(events) > MAX_INSTANCES)


def _bound_series(calendar: icalendar.Calendar) -> bool:
    """Leaves at most MAX_SERIES repeating events (the latest begun), none faster than daily; True if any went."""
    series = [
        component
        for component in calendar.subcomponents
        if component.name == "VEVENT" and component.get("RRULE") is not None
    ]
    too_fast = [component for component in series if _frequency(component) in SUB_DAILY]
    kept = sorted((c for c in series if c not in too_fast), key=_first_instant, reverse=True)[:MAX_SERIES]
    gone = {id(component) for component in series} - {id(component) for component in kept}
    if gone:
        calendar.subcomponents = [c for c in calendar.subcomponents if id(c) not in gone]
    return bool(gone)


def _frequency(component: icalendar.cal.Component) -> str:
    rules = component.get("RRULE")
    rule = rules[0] if isinstance(rules, list) else rules
    return str((rule.get("FREQ") or [""])[0]).upper()


def _first_instant(component: icalendar.cal.Component) -> datetime:
    started = component.get("DTSTART")
    return (
        _instant(started.dt, ZoneInfo("UTC")) if started is not None else datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    )

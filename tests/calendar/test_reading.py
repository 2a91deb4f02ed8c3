"""A feed's bytes to today's events and who is away, table-tested on feeds as Google, Outlook and Apple write them."""

from datetime import UTC, datetime

import pytest

from ivr.calendar.away import CalendarRefused, Refusal, away_spells, says_away, window_of
from ivr.calendar.reading import MAX_INSTANCES, MAX_SERIES, read_calendar
from ivr.callflow.schedule import away_until
from tests.calendar.feeds import event, feed

ZONE = "Europe/Amsterdam"
# Tuesday 24 November 2026, 10:15 in Amsterdam (UTC+1).
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
TZ = ";TZID=Europe/Amsterdam:"
FREQUENCIES = ("DAILY", "MINUTELY")


def _read(data: bytes) -> list[tuple[str, str, str, bool]]:
    read = read_calendar(data, window_of(NOW, ZONE), ZONE)
    return [(e.start.strftime("%d %H:%M"), e.end.strftime("%d %H:%M"), e.title, e.away) for e in read.events]


def test_busy_events_and_titles_that_say_away_mean_away_free_and_cancelled_ones_do_not() -> None:
    data = feed(
        event("1", f"{TZ}20261124T130000", f"{TZ}20261124T150000", "Tandarts", "TRANSP:OPAQUE"),
        event("2", f"{TZ}20261124T120000", f"{TZ}20261124T123000", "Lunch", "TRANSP:TRANSPARENT"),
        event("3", ";VALUE=DATE:20261125", ";VALUE=DATE:20261126", "Vakantie Texel", "TRANSP:TRANSPARENT"),
        event("4", f"{TZ}20261124T080000", f"{TZ}20261124T083000", "Overleg", "X-MICROSOFT-CDO-BUSYSTATUS:FREE"),
        event("5", f"{TZ}20261124T160000", f"{TZ}20261124T170000", "Klant", "STATUS:CANCELLED"),
        event("6", ":20261124T170000", ":20261124T180000", "Congé", "TRANSP:TRANSPARENT"),  # floating: local
        event("7", f"{TZ}20261130T090000", f"{TZ}20261130T100000", "Next week", "TRANSP:OPAQUE"),
    )
    assert _read(data) == [
        ("24 07:00", "24 07:30", "Overleg", False),
        ("24 11:00", "24 11:30", "Lunch", False),
        ("24 12:00", "24 14:00", "Tandarts", True),
        ("24 16:00", "24 17:00", "Congé", True),
        ("24 23:00", "25 23:00", "Vakantie Texel", True),
    ]


def test_repeating_events_are_expanded_with_their_exceptions_and_moved_instances() -> None:
    weekly = event(
        "w",
        f"{TZ}20261020T140000",
        f"{TZ}20261020T160000",
        "Afwezig (sportschool)",
        "RRULE:FREQ=WEEKLY;BYDAY=TU",
        f"EXDATE{TZ}20261117T140000",
    )
    daily = event("d", f"{TZ}20261101T090000", f"{TZ}20261101T093000", "Stand-up", "RRULE:FREQ=DAILY")
    moved = event("d", f"{TZ}20261124T100000", f"{TZ}20261124T103000", "Stand-up", f"RECURRENCE-ID{TZ}20261124T090000")
    assert _read(feed(weekly, daily, moved)) == [
        ("24 09:00", "24 09:30", "Stand-up", True),  # moved from 09:00 to 10:00 local
        ("24 13:00", "24 15:00", "Afwezig (sportschool)", True),
        ("25 08:00", "25 08:30", "Stand-up", True),
    ]


@pytest.mark.parametrize("data", [b"<html><body>Sign in</body></html>", b"", b"BEGIN:VCARD\r\nEND:VCARD\r\n"])
def test_what_is_not_icalendar_is_refused(data: bytes) -> None:
    with pytest.raises(CalendarRefused) as refused:
        read_calendar(data, window_of(NOW, ZONE), ZONE)
    assert refused.value.code is Refusal.NOT_ICALENDAR


def test_a_thousand_repeating_events_are_capped_and_say_so() -> None:
    many = [
        event(
            str(i), ":20160101T000000Z", ":20160101T000100Z", f"x{i}", f"RRULE:FREQ={'MINUTELY' if i % 2 else 'DAILY'}"
        )
        for i in range(1000)
    ]
    read = read_calendar(feed(*many), window_of(NOW, ZONE), ZONE)
    assert read.capped
    # The sub-daily series are left out, and of the daily ones only MAX_SERIES, each twice in two days.
    assert len(read.events) == min(MAX_INSTANCES, 2 * MAX_SERIES)


@pytest.mark.parametrize(
    ("title", "away"),
    [("Afwezig", True), ("vakantie Spanje", True), ("Urlaub", True), ("congé", True), ("OOO", True),
     ("Out of office", True), ("Vrijdagoverleg", False), ("Klantbezoek", False), ("Awayday planning", False)],
)  # fmt: skip
def test_words_that_say_away(title: str, away: bool) -> None:
    assert says_away(title) is away


H = datetime(2026, 11, 24, tzinfo=UTC)


def _at(hour: int) -> datetime:
    return H.replace(hour=hour)


@pytest.mark.parametrize(
    ("spells", "now", "until"),
    [
        ([], 10, None),
        ([(9, 12)], 10, 12),
        ([(9, 12)], 12, None),  # the end is not included: back at 12:00
        ([(9, 12), (12, 15)], 10, 15),  # touching spells are one
        ([(9, 12), (11, 13), (14, 15)], 10, 13),  # a gap ends the chain
        ([(14, 15), (9, 12)], 10, 12),  # any order
        ([(9, 10)], 11, None),
    ],
)
def test_away_until(spells: list[tuple[int, int]], now: int, until: int | None) -> None:
    found = away_until([(_at(start), _at(end)) for start, end in spells], _at(now))
    assert found == (None if until is None else _at(until))


def test_only_away_events_are_spells() -> None:
    data = feed(
        event("1", f"{TZ}20261124T100000", f"{TZ}20261124T110000", "Overleg", "TRANSP:TRANSPARENT"),
        event("2", f"{TZ}20261124T100000", f"{TZ}20261124T150000", "Afwezig", "TRANSP:TRANSPARENT"),
    )
    spells = away_spells(read_calendar(data, window_of(NOW, ZONE), ZONE).events)
    assert spells == ((datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 24, 14, tzinfo=UTC)),)

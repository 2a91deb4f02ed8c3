"""`holidays:` as a document writes it: true (every public holiday), false, or a list of names and dates.

Names are those `greetline holidays COUNTRY` prints (the holidays package's, matched without regard to case);
`MM-DD` closes on that date every year, `YYYY-MM-DD` once.
"""

import re
from datetime import date

from ivr.callflow.model import Country, HolidayClosures
from ivr.callflow.schedule import public_holiday_names, public_holidays_of
from ivr.document.codes import FIELD, Code, refused

YEARLY = re.compile(r"^(\d{2})-(\d{2})$")
ONCE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A name is accepted when the country uses it in any of these years around now (some holidays are not yearly).
NAME_YEARS_BEFORE = 1
NAME_YEARS_AFTER = 10
# A leap year, so that 02-29 is a date that can be written.
LEAP_YEAR = 2028


def _yearly(text: str) -> tuple[int, int] | None:
    match = YEARLY.match(text)
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(LEAP_YEAR, month, day)
    except ValueError:
        raise refused(
            Code.HOLIDAY_NOT_A_DATE,
            f"{text!r} is not a date; write MM-DD, e.g. 12-24",
            value=text,
            **{FIELD: "holidays"},
        ) from None
    return month, day


def _once(text: str) -> date | None:
    if ONCE.match(text) is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise refused(
            Code.HOLIDAY_NOT_A_DATE,
            f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-24",
            value=text,
            **{FIELD: "holidays"},
        ) from None


def known_names(country: Country, today: date) -> list[str]:
    return public_holiday_names(country, range(today.year - NAME_YEARS_BEFORE, today.year + NAME_YEARS_AFTER + 1))


def check_holidays(entries: list[str], country: Country, today: date) -> None:
    """Refuse a name the country does not use, or a date that does not exist, saying how to find the names."""
    names = {name.lower() for name in known_names(country, today)}
    for entry in entries:
        text = entry.strip()
        if _yearly(text) is None and _once(text) is None and text.lower() not in names:
            raise refused(
                Code.UNKNOWN_HOLIDAY,
                f"{text!r} is not a public holiday of {country.value}; "
                f"`greetline holidays {country.value}` lists the names, or write a date as MM-DD or YYYY-MM-DD",
                value=text,
                country=country.value,
                **{FIELD: "holidays"},
            )


def holiday_closures(value: bool | list[str]) -> HolidayClosures:
    if isinstance(value, bool):
        return HolidayClosures(all_public=value)
    names: set[str] = set()
    yearly: set[tuple[int, int]] = set()
    once: set[date] = set()
    for entry in value:
        text = entry.strip()
        every_year, one_day = _yearly(text), _once(text)
        if every_year is not None:
            yearly.add(every_year)
        elif one_day is not None:
            once.add(one_day)
        else:
            names.add(text.lower())
    return HolidayClosures(False, frozenset(names), frozenset(yearly), frozenset(once))


def holidays_of(country: Country, year: int) -> list[tuple[date, str]]:
    return sorted(public_holidays_of(country, year).items())

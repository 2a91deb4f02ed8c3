"""`holidays:` as a document writes it: true (every public holiday), false, or a list of names and dates, and
`region:`, the part of the country whose own public holidays count too (DE: NW).

Names are those `greetline holidays COUNTRY --region R --language L` prints (the holidays package's), in the
business's language, in English or in the country's own language, matched without regard to case; `MM-DD` closes
on that date every year, `YYYY-MM-DD` once.
"""

import re
from datetime import date

from pydantic_core import PydanticCustomError

from ivr.callflow.model import Country, HolidayClosures
from ivr.callflow.public_holidays import (
    calendar_of,
    public_holidays_of,
    readable_names,
    region_code,
    regional_names,
)
from ivr.document.codes import FIELD, Code, Place, refused

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
        ) from None


def known_region(country: Country, written: str | None) -> str | None:
    """The package's code of the region a document names (None for none), refusing one the country lacks."""
    if written is None:
        return None
    code = region_code(country, written)
    if code is None:
        regions = ", ".join(calendar_of(country).regions)
        choose = f"use one of {regions}" if regions else "leave region: out"
        raise refused(
            Code.UNKNOWN_REGION,
            f"{written!r} is not a region of {country.value} the holiday calendar knows; {choose}",
            value=written,
            country=country.value,
            regions=regions,
            **{FIELD: "region"},
        )
    return code


def holiday_refusals(
    entries: list[str], country: Country, region: str | None, language: str, today: date
) -> list[tuple[Place, PydanticCustomError]]:
    """Every name the country (or region) does not use and every date that does not exist, each at its place,
    saying how to find the names."""
    years = range(today.year - NAME_YEARS_BEFORE, today.year + NAME_YEARS_AFTER + 1)
    names = readable_names(country, years, region, language)
    listing = " ".join(["greetline holidays", country.value, *(["--region", region] if region else [])])
    found: list[tuple[Place, PydanticCustomError]] = []
    for index, entry in enumerate(entries):
        text = entry.strip()
        try:
            if _yearly(text) is None and _once(text) is None and text.casefold() not in names:
                regional = () if region else regional_names(country, language, today.year).get(text.casefold(), ())
                if regional:
                    raise refused(
                        Code.UNKNOWN_HOLIDAY,
                        f"{text!r} is a public holiday only in some regions of {country.value} "
                        f"({', '.join(regional)}); set region: to yours, e.g. region: {regional[0]}",
                        value=text,
                        country=country.value,
                        regions=", ".join(regional),
                    )
                raise refused(
                    Code.UNKNOWN_HOLIDAY,
                    f"{text!r} is not a public holiday of {country.value}; `{listing} --language {language}` lists "
                    "the names, or write a date as MM-DD or YYYY-MM-DD",
                    value=text,
                    country=country.value,
                )
        except PydanticCustomError as error:
            found.append(((index,), error))
    return found


def holiday_closures(value: bool | list[str], region: str | None = None) -> HolidayClosures:
    if isinstance(value, bool):
        return HolidayClosures(all_public=value, region=region)
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
            names.add(text.casefold())
    return HolidayClosures(False, frozenset(names), frozenset(yearly), frozenset(once), region)


def holidays_of(country: Country, year: int, region: str | None = None, language: str = "en") -> list[tuple[date, str]]:
    return sorted(public_holidays_of(country, year, region, language).items())

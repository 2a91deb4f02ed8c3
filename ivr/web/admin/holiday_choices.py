"""The public-holidays form: which of the country's (and its region's) public holidays close the business, and the
region, as the document writes them (`holidays:` true, false or a list of names and dates; `region:`), and back.

A name is saved as the business already writes it when it did, else in the business's language (the document reads
names in that language, in English and in the country's own, ivr.document.holidays); the page shows it in the
page's language where the holidays package has it. Dates and names of other years stay as written, in their own
field, so a form saved unchanged keeps the list as it was."""

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ivr.callflow.model import Country
from ivr.callflow.public_holidays import JOINED, calendar_of, package_language, public_holidays_of, region_code
from ivr.web.admin.forms import listed

HolidayMode = Literal["all", "none", "chosen"]


@dataclass(frozen=True)
class HolidayChoice:
    """One public holiday as a checkbox: `value` is what is saved, `label` what the page shows."""

    value: str
    label: str
    day: date
    aliases: frozenset[str]  # every name (lower case) the document may give it


def _parts(country: Country, year: int, region: str | None, language: str) -> dict[date, list[str]]:
    return {day: name.split(JOINED) for day, name in public_holidays_of(country, year, region, language).items()}


def holiday_choices(
    country: Country, region: str | None, business_language: str, page_language: str, year: int
) -> list[HolidayChoice]:
    """The year's public holidays in calendar order; several on one day are several choices. Shown in the page's
    language where the package has the country's names in it, else as saved (not in English on a French page)."""
    own = _parts(country, year, region, business_language)
    in_page_language = page_language == "en" or package_language(country, page_language) != calendar_of(country).english
    shown = _parts(country, year, region, page_language if in_page_language else business_language)
    readings = [_parts(country, year, region, language) for language in ("en", calendar_of(country).own_language)]
    found = []
    for day in sorted(own):
        for index, name in enumerate(own[day]):
            aliases = {name.casefold()}
            for reading in readings:
                if len(reading.get(day, [])) == len(own[day]):
                    aliases.add(reading[day][index].casefold())
            label = shown[day][index] if len(shown.get(day, [])) == len(own[day]) else name
            found.append(HolidayChoice(name, label, day, frozenset(aliases)))
    return found


def _region(document: dict[str, Any]) -> str | None:
    written = document.get("region")
    return region_code(Country(document.get("country", "NL")), written) if written else None


def choices_for(document: dict[str, Any], page_language: str, year: int) -> list[HolidayChoice]:
    country = Country(document.get("country", "NL"))
    return holiday_choices(country, _region(document), document.get("language", "nl"), page_language, year)


def regions_of(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The country's regions as (code, code and name) for the select; empty for a country without regions."""
    calendar = calendar_of(Country(document.get("country", "NL")))
    names = {code: name for name, code in calendar.region_names.items()}
    return [(code, f"{code}: {names[code]}" if code in names else code) for code in calendar.regions]


def _choice_of(entry: str, choices: list[HolidayChoice]) -> HolidayChoice | None:
    return next((choice for choice in choices if entry.strip().casefold() in choice.aliases), None)


def _meaning(entries: list[str], choices: list[HolidayChoice]) -> set[str]:
    """What a list closes on, whatever language or case its names are written in."""
    return {(found.value if (found := _choice_of(entry, choices)) else entry.strip()).casefold() for entry in entries}


def holiday_fields(document: dict[str, Any], choices: list[HolidayChoice]) -> dict[str, Any]:
    """The stored `holidays:` and `region:` as the form shows them: the chosen names as the document writes them."""
    stored = document.get("holidays", True)
    chosen: list[str] = []
    other: list[str] = []
    if isinstance(stored, list):
        for entry in stored:
            match = _choice_of(entry, choices)
            if match is None:
                other.append(entry)
            else:
                chosen.append(match.value)
    mode: HolidayMode = "chosen" if isinstance(stored, list) else "all" if stored else "none"
    return {
        "holidays_mode": mode,
        "holidays_chosen": chosen,
        "holidays_other": ", ".join(other),
        "region": _region(document) or "",
    }


def holidays_part(
    document: dict[str, Any],
    choices: list[HolidayChoice],
    mode: HolidayMode,
    chosen: list[str],
    other: str,
    region: str,
) -> dict[str, Any]:
    """`holidays:` and `region:` to save; the stored list as written when the typed one names the same days, the
    stored region as written when it is the same region."""
    stored = document.get("holidays", True)
    if mode != "chosen":
        holidays: bool | list[str] = mode == "all"
    else:
        holidays = [*chosen, *listed(other)]
        if isinstance(stored, list) and _meaning(stored, choices) == _meaning(holidays, choices):
            holidays = stored
    country = Country(document.get("country", "NL"))
    written = str(document.get("region") or "")
    same_region = bool(written) and region_code(country, written) == region_code(country, region)
    return {"holidays": holidays, "region": written if same_region else (region.strip() or None)}

"""A country's public holidays (in one of its regions), named in a language: the holidays package's answers.

The package computes (no I/O). It knows each country's subdivisions (the German states: NW gives Fronleichnam and
Allerheiligen) and names holidays in the languages it has translations for, which differ by country (Germany: de
and English; Belgium: nl, fr, de and English). A business reads names in its own language: the country's where the
package has them, else a neighbour's name for the same holiday on the same day (a Dutch business in Germany reads
"Hemelvaartsdag", never "Ascension Day", issue 20 item 13), else the country's own; a name it writes is recognised
in its language, in English and in the country's own language.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from ivr.callflow.model import Country

# Several holidays on one day come as one name joined by this (the package's own separator).
JOINED = "; "


@dataclass(frozen=True)
class CountryCalendar:
    """What the package offers for one country: its regions (codes, and names it also accepts) and languages."""

    regions: tuple[str, ...]
    region_names: Mapping[str, str]
    languages: frozenset[str]
    own_language: str

    @property
    def english(self) -> str:
        # The package's English is American except where British English is offered (GB: "Boxing Day").
        return "en_GB" if "en_GB" in self.languages else "en_US"


@cache
def calendar_of(country: Country) -> CountryCalendar:
    # Imported on first use: a few MB that an idle server need not hold (issue 12's memory target).
    import holidays

    entity = holidays.country_holidays(country.value)
    return CountryCalendar(
        regions=tuple(entity.subdivisions),
        region_names=dict(getattr(entity, "subdivisions_aliases", {})),
        languages=frozenset(entity.supported_languages),
        own_language=str(entity.default_language),
    )


def region_code(country: Country, written: str) -> str | None:
    """The package's code of a region as a document writes it ("NW", "nw", "Nordrhein-Westfalen"); None if the
    country has no such region."""
    calendar = calendar_of(country)
    wanted = written.strip().casefold()
    codes = {code.casefold(): code for code in calendar.regions}
    codes |= {name.casefold(): code for name, code in calendar.region_names.items()}
    return codes.get(wanted)


def package_language(country: Country, language: str) -> str:
    """The package's language code for names in `language` (nl, en, de, fr): that language where the country's
    names are translated into it, else English."""
    calendar = calendar_of(country)
    wanted = calendar.english if language == "en" else language
    return wanted if wanted in calendar.languages else calendar.english


# Countries (and all their regions) whose names for a holiday a business may borrow when its own country's names are
# not in its language: the package's translations into nl, de and fr (holidays 0.6x, `supported_languages`).
NAMES_LENT_BY: Mapping[str, tuple[str, ...]] = {
    "nl": ("NL", "BE"),
    "de": ("DE", "AT", "CH", "LU", "BE"),
    "fr": ("FR", "BE", "CH", "LU"),
}


def _named(country: str, year: int, region: str | None, language: str) -> dict[date, list[str]]:
    import holidays

    found = holidays.country_holidays(country, subdiv=region, years=year, language=language)
    return {day: name.split(JOINED) for day, name in found.items()}


@cache
def lent_names(language: str, year: int) -> Mapping[tuple[date, str], str]:
    """(day, American English name) → the name in `language` a country that has it gives the same holiday on the
    same day. The day must match as well as the name: the US's Labor Day in September is no Dag van de Arbeid."""
    import holidays

    found: dict[tuple[date, str], str] = {}
    for country in NAMES_LENT_BY.get(language, ()):
        for region in (None, *holidays.country_holidays(country).subdivisions):
            english = _named(country, year, region, "en_US")
            named = _named(country, year, region, language)
            for day, names in english.items():
                if len(named.get(day, ())) == len(names):
                    for name, lent in zip(names, named[day], strict=True):
                        found.setdefault((day, name), lent)
    return found


def _borrowed(country: Country, year: int, region: str | None, language: str) -> dict[date, str]:
    """The country's holidays named in a language its own calendar lacks: a neighbour's name for each, else the
    country's own name (a word the business sees locally) rather than English."""
    english = _named(country.value, year, region, "en_US")
    own = _named(country.value, year, region, calendar_of(country).own_language)
    lent = lent_names(language, year)
    found = {}
    for day, names in english.items():
        locally = own.get(day, [])
        if len(locally) != len(names):
            locally = names
        found[day] = JOINED.join(lent.get((day, name), local) for name, local in zip(names, locally, strict=True))
    return found


@lru_cache(maxsize=256)
def public_holidays_of(country: Country, year: int, region: str | None = None, language: str = "en") -> dict[date, str]:
    """Cached: every call would otherwise rebuild the year."""
    named_in = package_language(country, language)
    if language != "en" and named_in == calendar_of(country).english:
        return _borrowed(country, year, region, language)
    return {day: JOINED.join(names) for day, names in _named(country.value, year, region, named_in).items()}


def public_holiday(country: Country, day: date, region: str | None = None, language: str = "en") -> str | None:
    return public_holidays_of(country, day.year, region, language).get(day)


def _reading_languages(country: Country, language: str) -> tuple[str, ...]:
    """The languages a business may write a holiday's name in: its own, English and the country's own."""
    return tuple(dict.fromkeys((language, "en", calendar_of(country).own_language)))


def names_on(country: Country, day: date, region: str | None = None, language: str = "en") -> frozenset[str]:
    """Every name (lower case) a business may give the public holiday on this day; empty on other days."""
    found: set[str] = set()
    for reading in _reading_languages(country, language):
        name = public_holiday(country, day, region, reading)
        found.update(part.casefold() for part in (name or "").split(JOINED) if part)
    return frozenset(found)


def public_holiday_names(country: Country, years: range, region: str | None = None, language: str = "en") -> list[str]:
    """Every name the country's public holidays go by in these years, in calendar order, each once."""
    named = sorted(
        (day, name) for year in years for day, name in public_holidays_of(country, year, region, language).items()
    )
    return list(dict.fromkeys(part for _day, name in named for part in name.split(JOINED)))


def readable_names(country: Country, years: range, region: str | None = None, language: str = "en") -> set[str]:
    """Every name (lower case) a business may write in `holidays:`, in any language it may write them in."""
    return {
        name.casefold()
        for reading in _reading_languages(country, language)
        for name in public_holiday_names(country, years, region, reading)
    }


# How many years from the one asked about a regional name is looked for (some holidays are not yearly).
REGIONAL_YEARS = 2


@cache
def regional_names(country: Country, language: str, year: int) -> Mapping[str, tuple[str, ...]]:
    """The names (lower case, in any language a business may write them) of public holidays only some regions of
    the country keep, each with those regions: "fronleichnam" in DE → BW, BY, HE, NW, RP, SL, ….

    Built once per process (about half a second for Germany's 17 regions), for the refusal of a name that is no
    public holiday of the whole country.
    """
    years = range(year, year + REGIONAL_YEARS)
    national = readable_names(country, years, None, language)
    found: dict[str, list[str]] = {}
    for region in calendar_of(country).regions:
        for name in readable_names(country, years, region, language) - national:
            found.setdefault(name, []).append(region)
    return {name: tuple(regions) for name, regions in found.items()}

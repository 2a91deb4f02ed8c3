"""Is the business open right now, and if not, why: periods first, then public holidays, then hours."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from ivr.callflow.model import Business, Country, Period


@dataclass(frozen=True)
class Open:
    pass


@dataclass(frozen=True)
class InPeriod:
    period: Period


@dataclass(frozen=True)
class Holiday:
    name: str


@dataclass(frozen=True)
class OutsideHours:
    pass


Situation = Open | InPeriod | Holiday | OutsideHours


@lru_cache(maxsize=64)
def public_holidays_of(country: Country, year: int) -> dict[date, str]:
    # The holidays package computes (no I/O); cached because every call would otherwise rebuild the year.
    # Imported on first use: a few MB that an idle server need not hold (issue 12's memory target).
    import holidays

    return dict(holidays.country_holidays(country.value, years=year).items())


def public_holiday(country: Country, day: date) -> str | None:
    return public_holidays_of(country, day.year).get(day)


def public_holiday_names(country: Country, years: range) -> list[str]:
    """Every name the country's public holidays go by in these years, in calendar order, each once."""
    named = sorted((day, name) for year in years for day, name in public_holidays_of(country, year).items())
    return list(dict.fromkeys(name for _day, name in named))


def closing_holiday(business: Business, day: date) -> str | None:
    """The name of the holiday that closes the business on this local day, if one does."""
    closures = business.holidays
    public = public_holiday(business.country, day)
    if public is not None and (closures.all_public or public.lower() in closures.names):
        return public
    if day in closures.once or (day.month, day.day) in closures.yearly:
        return public or day.isoformat()
    return None


def local_time(business: Business, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(business.timezone))


def situation(business: Business, now: datetime) -> Situation:
    local = local_time(business, now)
    today = local.date()
    for period in business.periods:
        if period.first_day <= today <= period.last_day:
            return InPeriod(period)
    holiday = closing_holiday(business, today)
    if holiday is not None:
        return Holiday(holiday)
    if business.hours is None:
        return Open()
    ranges = business.hours.by_weekday[local.weekday()]
    moment = local.time()
    if any(time_range.contains(moment) for time_range in ranges):
        return Open()
    return OutsideHours()

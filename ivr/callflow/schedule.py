"""Is the business open right now, and if not, why: periods first, then public holidays, then hours."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

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
def _public_holidays(country: Country, year: int) -> dict[date, str]:
    # The holidays package computes (no I/O); cached because every call would otherwise rebuild the year.
    return dict(holidays.country_holidays(country.value, years=year).items())


def public_holiday(country: Country, day: date) -> str | None:
    return _public_holidays(country, day.year).get(day)


def local_time(business: Business, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(business.timezone))


def situation(business: Business, now: datetime) -> Situation:
    local = local_time(business, now)
    today = local.date()
    for period in business.periods:
        if period.first_day <= today <= period.last_day:
            return InPeriod(period)
    if business.closed_on_holidays:
        holiday = public_holiday(business.country, today)
        if holiday is not None:
            return Holiday(holiday)
    if business.hours is None:
        return Open()
    ranges = business.hours.by_weekday[local.weekday()]
    moment = local.time()
    if any(time_range.contains(moment) for time_range in ranges):
        return Open()
    return OutsideHours()

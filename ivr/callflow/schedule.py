"""Is the business open right now, and if not, why: periods first, then public holidays, then hours."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ivr.callflow.model import Business, Period
from ivr.callflow.public_holidays import names_on, public_holiday


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


def closing_holiday(business: Business, day: date) -> str | None:
    """The name (in the business's language) of the holiday that closes the business on this local day, if one
    does. A name the business listed matches in any language it may write names in (ivr.callflow.public_holidays)."""
    closures = business.holidays
    language = business.language.value
    public = public_holiday(business.country, day, closures.region, language)
    if public is not None and (
        closures.all_public or closures.names & names_on(business.country, day, closures.region, language)
    ):
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

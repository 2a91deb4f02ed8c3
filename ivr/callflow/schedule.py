"""Is the business open right now, and if not, why: periods first, then public holidays, then hours."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ivr.callflow.model import AwaySpell, Business, Period
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


# Not a calendar event (ivr.calendar.away.CalendarEvent): the flow's answer to "away now?", from AwaySpells alone.
@dataclass(frozen=True)
class Away:
    """Open, but the owner's calendar says away (calendar: {when_away: service}): calls go to the service."""

    until: datetime


Situation = Open | InPeriod | Holiday | OutsideHours | Away


def away_until(spells: Iterable[AwaySpell], now: datetime) -> datetime | None:
    """When the owner is back, if an away spell runs now: the end of the chain of spells that touch or overlap it
    (a morning off followed by an afternoon away is away until the afternoon ends)."""
    until: datetime | None = None
    for start, end in sorted(spells):
        if until is None:
            if start <= now < end:
                until = end
        elif start <= until:
            until = max(until, end)
    return until


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
        return _open_or_away(business, now)
    ranges = business.hours.by_weekday[local.weekday()]
    moment = local.time()
    if any(time_range.contains(moment) for time_range in ranges):
        return _open_or_away(business, now)
    return OutsideHours()


def _open_or_away(business: Business, now: datetime) -> Open | Away:
    until = away_until(business.away, now) if business.away_to_service else None
    return Open() if until is None else Away(until)

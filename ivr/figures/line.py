"""The line's figures for one business: the counts the database makes (ivr.store.call_figures), turned into the
statistics the page and the monthly report draw (ivr.figures.statistics). One function for every face."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from ivr.callflow.model import Business
from ivr.callflow.timeline import opening_marks
from ivr.figures import statistics
from ivr.figures.statistics import Day, HangUps, Waits
from ivr.store import call_figures


@dataclass(frozen=True)
class LineFigures:
    since: datetime
    until: datetime
    days: tuple[Day, ...]
    # Seven rows (Monday first) of 24 local hours.
    week: tuple[tuple[int, ...], ...]
    waits: Waits
    hang_ups: HangUps

    @property
    def calls(self) -> int:
        return sum(day.total for day in self.days)


def line_figures(connection: Connection, business: Business, now: datetime) -> LineFigures:
    """The last four weeks up to `now`, in the business's zone; test calls left out."""
    since, until, days = statistics.window(now, business.timezone)
    hourly = [(c.hour, c.end_reason, c.calls) for c in call_figures.by_hour(connection, business.id, since, until)]
    to_person = call_figures.seconds_to_person(connection, business.id, since, until)
    urgent_keys = tuple(option.key for option in business.menu if option.emergency)
    urgent = call_figures.emergency_calls(
        connection, business.id, since, until, urgent_keys, statistics.URGENT_WITHIN_S
    )
    hung_up = call_figures.hang_up_seconds(connection, business.id, since, until)
    return LineFigures(
        since,
        until,
        statistics.per_day(hourly, business.timezone, days),
        statistics.per_hour_of_week(hourly, business.timezone),
        statistics.waits(((c.seconds, c.calls) for c in to_person), urgent.calls, urgent.within_s),
        statistics.hang_ups(((c.end_reason, c.seconds, c.calls) for c in hung_up), opening_marks(business)),
    )

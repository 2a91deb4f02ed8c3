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
from ivr.store.figure_rollup import Kind


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
    daily = call_figures.per_day(connection, business.id, statistics.midnights(days, business.timezone))
    hourly = call_figures.per_hour(connection, business.id, since, until)
    counted = call_figures.totals(connection, business.id, since, until)

    def labelled(kind: Kind) -> dict[str, int]:
        return {label: calls for (found, label), calls in counted.items() if found == kind}

    to_person = [(int(label), calls) for label, calls in labelled(Kind.PERSON).items()]
    urgent = labelled(Kind.URGENT)
    hang_up_s = [(int(label), calls) for label, calls in labelled(Kind.HANG_UP_S).items()]
    return LineFigures(
        since,
        until,
        statistics.per_day(daily, days),
        statistics.per_hour_of_week(hourly, business.timezone),
        statistics.waits(to_person, labelled(Kind.WITHIN).get("", 0), urgent.get("all", 0), urgent.get("within", 0)),
        statistics.hang_ups(labelled(Kind.HANG_UP), hang_up_s, opening_marks(business)),
    )

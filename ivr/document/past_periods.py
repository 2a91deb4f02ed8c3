"""Periods that are over, moved on by whole years to their next time.

The demo of `make run` (examples/huisartsenpraktijk-de-linde.yaml) closes for Christmas on fixed dates, the ones the
tests and the README's examples use. Seeded after they passed, the demo would show no period at all and `greetline
templates show holiday_closure` would ask for one; `make run` applies it with its periods moved on (`greetline apply
--move-past-periods`), so it always has the coming Christmas to New Year, or the running one. Its Dutch words ("tijdens
de feestdagen", "gesloten tot 2 januari") stay true in any year.
"""

from datetime import date

from ivr.document.model import BusinessDocument, Period


def moved_on(document: BusinessDocument, today: date) -> BusinessDocument:
    """The document with each period that ended before `today` moved on by the fewest whole years that make it
    running or to come; the others as written."""
    return document.model_copy(update={"periods": [_next_time(period, today) for period in document.periods]})


def _next_time(period: Period, today: date) -> Period:
    years = max(0, today.year - period.end.year)
    if _years_on(period.end, years) < today:
        years += 1
    return period.model_copy(update={"start": _years_on(period.start, years), "end": _years_on(period.end, years)})


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)

"""Periods that are over come again a whole number of years later (`greetline apply --move-past-periods`, the demo of
`make run`); a period running or still to come stays as written."""

from datetime import date

import pytest

from ivr.document.load import parse_document
from ivr.document.past_periods import moved_on

BASE = 'business: Smit\nnumbers: ["+31201234567"]\noperators: ["+31201111111"]\nperiods:\n'
CHRISTMAS = "  - {from: 2026-12-24, to: 2027-01-01, dial: '+31209999999'}\n"
SPRING = "  - {from: 2026-04-01, to: 2026-04-10, dial: '+31209999999'}\n"
LEAP_DAY = "  - {from: 2028-02-28, to: 2028-02-29, dial: '+31209999999'}\n"


def _dates(periods: str, today: date) -> list[tuple[str, str]]:
    document = moved_on(parse_document(BASE + periods), today)
    return [(period.start.isoformat(), period.end.isoformat()) for period in document.periods]


@pytest.mark.parametrize(
    ("periods", "today", "expected"),
    [
        (CHRISTMAS, date(2026, 11, 24), [("2026-12-24", "2027-01-01")]),  # to come: as written
        (CHRISTMAS, date(2026, 12, 28), [("2026-12-24", "2027-01-01")]),  # running: as written
        (CHRISTMAS, date(2027, 1, 1), [("2026-12-24", "2027-01-01")]),  # its last day
        (CHRISTMAS, date(2027, 1, 2), [("2027-12-24", "2028-01-01")]),
        (CHRISTMAS, date(2031, 6, 15), [("2031-12-24", "2032-01-01")]),
        (CHRISTMAS, date(2032, 1, 1), [("2031-12-24", "2032-01-01")]),
        # Each period on its own: one over moves, one to come stays.
        (SPRING + CHRISTMAS, date(2026, 5, 1), [("2027-04-01", "2027-04-10"), ("2026-12-24", "2027-01-01")]),
        (LEAP_DAY, date(2028, 3, 1), [("2029-02-28", "2029-02-28")]),  # no 29 February in 2029: the 28th
    ],
)
def test_a_period_that_is_over_comes_again_whole_years_later(
    periods: str, today: date, expected: list[tuple[str, str]]
) -> None:
    assert _dates(periods, today) == expected

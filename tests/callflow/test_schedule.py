from datetime import UTC, datetime, time

import pytest

from ivr.callflow.model import Country, HolidayClosures, OpeningHours, TimeRange
from ivr.callflow.schedule import Holiday, InPeriod, Open, OutsideHours, Situation, situation
from tests.callflow.factory import CHRISTMAS_PERIOD, make_business

# 2026-11-24 is a Tuesday; Amsterdam is UTC+1 in winter and UTC+2 in summer.
CASES: list[tuple[str, datetime, dict[str, object], type[Situation]]] = [
    ("tuesday morning is open", datetime(2026, 11, 24, 9, 0, tzinfo=UTC), {}, Open),
    ("07:30 UTC is 08:30 in Amsterdam: open", datetime(2026, 11, 24, 7, 30, tzinfo=UTC), {}, Open),
    ("06:59 UTC is 07:59 in Amsterdam: closed", datetime(2026, 11, 24, 6, 59, tzinfo=UTC), {}, OutsideHours),
    ("17:00 local is closing time", datetime(2026, 11, 24, 16, 0, tzinfo=UTC), {}, OutsideHours),
    ("summer time shifts by two hours", datetime(2026, 7, 7, 6, 30, tzinfo=UTC), {}, Open),
    ("saturday has no hours", datetime(2026, 11, 28, 10, 0, tzinfo=UTC), {}, OutsideHours),
    ("no hours means always open", datetime(2026, 11, 28, 3, 0, tzinfo=UTC), {"hours": None}, Open),
    ("Christmas is a Dutch public holiday", datetime(2026, 12, 25, 10, 0, tzinfo=UTC), {}, Holiday),
    ("King's Day 2026 is on Monday 27 April", datetime(2026, 4, 27, 10, 0, tzinfo=UTC), {}, Holiday),
    ("holidays can be ignored", datetime(2026, 4, 27, 10, 0, tzinfo=UTC), {"holidays": HolidayClosures()}, Open),
    ("German Labour Day", datetime(2026, 5, 1, 8, 0, tzinfo=UTC), {"country": Country.DE}, Holiday),
    ("a period wins over hours", datetime(2026, 12, 28, 10, 0, tzinfo=UTC), {"periods": (CHRISTMAS_PERIOD,)}, InPeriod),
    (
        "a period wins over a holiday",
        datetime(2026, 12, 25, 10, 0, tzinfo=UTC),
        {"periods": (CHRISTMAS_PERIOD,)},
        InPeriod,
    ),
    (
        "a period's last day is included",
        datetime(2027, 1, 1, 22, 0, tzinfo=UTC),
        {"periods": (CHRISTMAS_PERIOD,)},
        InPeriod,
    ),
    ("the day after a period", datetime(2027, 1, 4, 10, 0, tzinfo=UTC), {"periods": (CHRISTMAS_PERIOD,)}, Open),
]


@pytest.mark.parametrize(("name", "now", "overrides", "expected"), CASES, ids=[case[0] for case in CASES])
def test_situation(name: str, now: datetime, overrides: dict[str, object], expected: type[Situation]) -> None:
    assert type(situation(make_business(**overrides), now)) is expected


def test_several_ranges_a_day_leave_the_lunch_break_closed() -> None:
    split = (TimeRange(time(8), time(12)), TimeRange(time(13), time(17)))
    business = make_business(hours=OpeningHours((split,) * 7))
    assert isinstance(situation(business, datetime(2026, 11, 24, 11, 30, tzinfo=UTC)), OutsideHours)  # 12:30 local
    assert isinstance(situation(business, datetime(2026, 11, 24, 12, 30, tzinfo=UTC)), Open)  # 13:30 local


def test_holiday_is_named() -> None:
    """In the business's language (the factory's business is Dutch), where the country names it in that one."""
    assert situation(make_business(), datetime(2026, 12, 25, 10, 0, tzinfo=UTC)) == Holiday("Eerste kerstdag")

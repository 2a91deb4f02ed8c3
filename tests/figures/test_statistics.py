"""The statistics' pure parts: the counters a call adds to, the business's days as instants, and the bins."""

from datetime import UTC, date, datetime

import pytest

from ivr.figures import statistics
from ivr.store.figure_rollup import counted

START = datetime(2026, 11, 24, 9, 40, tzinfo=UTC)
HOUR = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DAY = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def call(**values: object) -> dict[str, object]:
    found: dict[str, object] = {
        "business_id": 3,
        "started_at": START,
        "simulated": False,
        "end_reason": None,
        "person_s": None,
        "duration_s": None,
        "urgent": False,
    }
    found.update(values)
    return found


@pytest.mark.parametrize(
    ("values", "keys"),
    [
        ({}, [(3, HOUR, "reason", "")]),
        ({"simulated": True, "end_reason": "simulated"}, []),
        ({"business_id": None, "end_reason": "failed"}, []),
        (
            {"end_reason": "answered_service", "person_s": 31.5, "urgent": True},
            [(3, HOUR, "reason", "answered_service"), (3, DAY, "person", "30"), (3, DAY, "urgent", "all")],
        ),
        (
            {"end_reason": "answered_staff", "person_s": 4.0},
            [(3, HOUR, "reason", "answered_staff"), (3, DAY, "person", "0"), (3, DAY, "within", "")],
        ),
        (
            {"end_reason": "hung_up_menu", "duration_s": 75},
            [(3, HOUR, "reason", "hung_up_menu"), (3, DAY, "hangup", "hung_up_menu"), (3, DAY, "hangup_s", "60")],
        ),
    ],
)
def test_the_counters_a_call_adds_to(values: dict[str, object], keys: list[tuple[object, ...]]) -> None:
    assert counted(call(**values)) == keys


def test_the_days_edges_are_the_business_midnights_across_a_clock_change() -> None:
    days = (date(2026, 10, 24), date(2026, 10, 25))  # summer time ends in Amsterdam on the 25th
    assert statistics.midnights(days, "Europe/Amsterdam") == [
        datetime(2026, 10, 23, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
    ]


def test_four_weeks_end_today_in_the_business_zone() -> None:
    since, until, days = statistics.window(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Europe/Amsterdam")
    assert days[-1] == date(2026, 12, 1) and len(days) == statistics.DAYS_SHOWN
    assert (since, until) == (
        datetime(2026, 11, 3, 23, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 23, 0, tzinfo=UTC),
    )


def test_waits_and_days_are_binned_and_ordered() -> None:
    waits = statistics.waits([(0, 2), (25, 1), (60, 3)], within_s=3, emergency_calls=2, emergency_within_s=1)
    assert [(b.from_s, b.calls) for b in waits.bins if b.calls] == [(0, 2), (25, 1), (60, 3)]
    assert (waits.answered, waits.share_within, waits.emergency_share) == (6, 0.5, 0.5)
    days = statistics.per_day(
        [(1, "busy", 2), (1, "answered_staff", 5), (0, "", 1)], (date(2026, 1, 1), date(2026, 1, 2))
    )
    assert [(day.by_reason, day.total) for day in days] == [((("", 1),), 1), ((("answered_staff", 5), ("busy", 2)), 7)]

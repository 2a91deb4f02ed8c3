"""Which days' summaries are due, from the summary time, the instant and the last day queued: a table."""

from datetime import UTC, date, datetime, time

import pytest

from ivr.messages.summary_days import SummaryTime, summaries_due

AMSTERDAM_1730 = SummaryTime("Europe/Amsterdam", time(17, 30))


@pytest.mark.parametrize(
    ("now", "last_queued", "due"),
    [
        # Before 17:30 on the 27th (winter time, UTC+1): nothing of today; yesterday's was queued.
        (datetime(2026, 11, 27, 16, 29, tzinfo=UTC), date(2026, 11, 26), []),
        # At 17:30: today's, on time.
        (datetime(2026, 11, 27, 16, 30, tzinfo=UTC), date(2026, 11, 26), [("2026-11-27", False)]),
        # Never one queued: the summary is new, no day before it was missed.
        (datetime(2026, 11, 27, 16, 30, tzinfo=UTC), None, [("2026-11-27", False)]),
        # Back in the morning after two days away: the two missed days, late; today's comes at 17:30.
        (
            datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
            date(2026, 11, 24),
            [("2026-11-25", True), ("2026-11-26", True)],
        ),
        # Away ten days: the last three days before today, late, then today's.
        (
            datetime(2026, 12, 4, 16, 30, tzinfo=UTC),
            date(2026, 11, 24),
            [("2026-12-01", True), ("2026-12-02", True), ("2026-12-03", True), ("2026-12-04", False)],
        ),
        # 00:30 in Amsterdam is still the 27th's evening in UTC: the local day counts (the 28th, before 17:30).
        (datetime(2026, 11, 27, 23, 30, tzinfo=UTC), date(2026, 11, 27), []),
    ],
)
def test_summaries_due(now: datetime, last_queued: date | None, due: list[tuple[str, bool]]) -> None:
    specs = summaries_due(AMSTERDAM_1730, 7, now, last_queued)
    assert [(spec.args["day"], spec.args.get("late", False)) for spec in specs] == due
    assert all(spec.key == f"daily-summary:7:{spec.args['day']}" for spec in specs)


def test_no_summary_time_no_summary() -> None:
    assert summaries_due(None, 7, datetime(2026, 11, 27, 16, 30, tzinfo=UTC), date(2026, 11, 1)) == []

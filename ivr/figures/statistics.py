"""The figures behind the statistics charts, from the call log's counts: plain data in, plain data out.

The counts come grouped by UTC hour, end reason and second (ivr.store.call_figures); here they become local days,
hours of the week, a distribution of waits and where callers hung up, in the business's own time zone.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ivr.callflow.end_reasons import EndReason
from ivr.callflow.timeline import Mark, Stage

# The Dutch GP norm (NHG-Standaard Telefonische bereikbaarheid, InEen/LHV 2019): 90 % of urgent calls answered by a
# person within 30 seconds.
URGENT_WITHIN_S = 30
URGENT_SHARE_NORM = 0.9
# The charts' windows: four weeks of days; waits and hang-ups in bins of 5 s up to a minute, then "longer".
DAYS_SHOWN = 28
BIN_S = 5
LAST_BIN_S = 60

HANG_UP_STAGES: dict[EndReason, Stage] = {
    EndReason.HUNG_UP_WELCOME: Stage.WELCOME,
    EndReason.HUNG_UP_INFORMATION: Stage.INFORMATION,
    EndReason.HUNG_UP_MENU: Stage.MENU,
    EndReason.HUNG_UP_RINGING: Stage.RINGING,
}

HANG_UP_REASONS = {reason.value for reason in HANG_UP_STAGES}


@dataclass(frozen=True)
class Day:
    day: date
    # Calls by end reason ("" for calls still going), in the order of EndReason.
    by_reason: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.by_reason)


@dataclass(frozen=True)
class Bin:
    """Calls whose seconds fell in [from_s, to_s); to_s None: this many seconds or more."""

    from_s: int
    to_s: int | None
    calls: int


@dataclass(frozen=True)
class Waits:
    bins: tuple[Bin, ...]
    answered: int
    within_s: int
    emergency_calls: int
    emergency_within_s: int

    @property
    def share_within(self) -> float | None:
        return self.within_s / self.answered if self.answered else None

    @property
    def emergency_share(self) -> float | None:
        return self.emergency_within_s / self.emergency_calls if self.emergency_calls else None


@dataclass(frozen=True)
class HangUps:
    by_stage: tuple[tuple[Stage, int], ...]
    # Hang-ups by the second of the call, in bins, beside where each stage of today's opening begins.
    bins: tuple[Bin, ...]
    opening: tuple[Mark, ...]


def window(now: datetime, timezone: str) -> tuple[datetime, datetime, tuple[date, ...]]:
    """The last DAYS_SHOWN local days up to and including today: from their first midnight to the next one."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    days = tuple(today - timedelta(days=back) for back in range(DAYS_SHOWN - 1, -1, -1))
    since = datetime.combine(days[0], datetime.min.time(), zone)
    until = datetime.combine(today + timedelta(days=1), datetime.min.time(), zone)
    return since, until, days


def midnights(days: tuple[date, ...], timezone: str) -> list[datetime]:
    """Each day's local midnight and the one after the last: the edges the database sorts hours into days by."""
    zone = ZoneInfo(timezone)
    edges = [*days, days[-1] + timedelta(days=1)]
    return [datetime.combine(day, datetime.min.time(), zone).astimezone(UTC) for day in edges]


def per_day(counts: Iterable[tuple[int, str, int]], days: tuple[date, ...]) -> tuple[Day, ...]:
    """`counts`: (index of the day in `days`, end reason or "" while going on, calls)."""
    tally: list[Counter[str]] = [Counter() for _ in days]
    for index, reason, calls in counts:
        if 0 <= index < len(days):
            tally[index][reason] += calls
    order = [reason.value for reason in EndReason] + [""]
    return tuple(
        Day(day, tuple((reason, tally[i][reason]) for reason in order if tally[i][reason]))
        for i, day in enumerate(days)
    )


def per_hour_of_week(counts: Iterable[tuple[datetime, int]], timezone: str) -> tuple[tuple[int, ...], ...]:
    """Seven rows (Monday first) of 24 hours: the calls that began in each local hour of the week."""
    zone = ZoneInfo(timezone)
    grid = [[0] * 24 for _ in range(7)]
    for hour, calls in counts:
        local = hour.astimezone(zone)
        grid[local.weekday()][local.hour] += calls
    return tuple(tuple(row) for row in grid)


def binned(seconds: Iterable[tuple[int, int]]) -> tuple[Bin, ...]:
    tally: Counter[int] = Counter()
    for second, calls in seconds:
        tally[min(max(second, 0) // BIN_S * BIN_S, LAST_BIN_S)] += calls
    return tuple(
        Bin(start, start + BIN_S if start < LAST_BIN_S else None, tally[start])
        for start in range(0, LAST_BIN_S + 1, BIN_S)
    )


def waits(to_person: Iterable[tuple[int, int]], within_s: int, emergency_calls: int, emergency_within_s: int) -> Waits:
    """`to_person`: (seconds from the first ring to a person, or the start of their bin, calls)."""
    pairs = list(to_person)
    answered = sum(calls for _, calls in pairs)
    return Waits(binned(pairs), answered, within_s, emergency_calls, emergency_within_s)


def hang_ups(by_reason: Mapping[str, int], seconds: Iterable[tuple[int, int]], opening: tuple[Mark, ...]) -> HangUps:
    """`by_reason`: the hung-up end reasons' calls; `seconds`: (second of the call or its bin's start, calls);
    `opening`: the stages of what a caller hears today when the line is open (ivr.callflow.timeline.opening_marks)."""
    stages: Counter[Stage] = Counter()
    for reason, calls in by_reason.items():
        if reason in HANG_UP_REASONS:
            stages[HANG_UP_STAGES[EndReason(reason)]] += calls
    order = (Stage.WELCOME, Stage.INFORMATION, Stage.MENU, Stage.RINGING)
    return HangUps(tuple((stage, stages[stage]) for stage in order), binned(seconds), opening)

"""The demo as `make run` seeds it, on a given day: its Christmas period is the coming one (or the running one) in
any year, so the demo shows a period and `greetline templates show holiday_closure` announces it. The Makefile's own
apply command is read and run in-process with the day passed in (the clock is not read)."""

import shlex
import subprocess
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ivr.cli import build_parser
from ivr.cli.commands import apply_file
from ivr.cli.runtime import Runtime
from ivr.document.info_messages import ready_made
from ivr.settings import Settings
from ivr.store import businesses
from tests.conftest import REPO

DEMO_NUMBER = "+31501234567"


def _seeded(settings: Settings, now: datetime) -> dict[str, Any]:
    """The demo's stored document after `make run`'s apply command ran at `now`."""
    planned = subprocess.run(["make", "-n", "run"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    applies = [shlex.split(line, comments=True) for line in planned.splitlines() if "greetline apply" in line]
    assert len(applies) == 1
    args = build_parser().parse_args(applies[0][applies[0].index("apply") :])
    opened = Runtime(settings)
    try:
        apply_file(
            opened,
            REPO / args.file,
            render=False,
            if_new=args.if_new,
            move_past_periods=args.move_past_periods,
            now=now,
        )
        with opened.database.transaction() as session:
            owner = businesses.owners_of(session, [DEMO_NUMBER])[DEMO_NUMBER]
            document: dict[str, Any] = businesses.get(session, owner).document
    finally:
        opened.close()
    return document


@pytest.mark.parametrize(
    ("seeded_on", "first_day", "last_day"),
    [
        (date(2026, 11, 24), "2026-12-24", "2027-01-01"),  # the example's own dates, still to come
        (date(2026, 12, 28), "2026-12-24", "2027-01-01"),  # running: shown as it is
        (date(2027, 1, 2), "2027-12-24", "2028-01-01"),  # the day after the example's period: the next Christmas
        (date(2029, 7, 1), "2029-12-24", "2030-01-01"),
    ],
)
def test_make_run_seeds_the_demo_with_a_christmas_period_to_come(
    settings: Settings, seeded_on: date, first_day: str, last_day: str
) -> None:
    # Just after midnight at the practice, still the day before in UTC: the practice's day counts.
    now = datetime.combine(seeded_on, datetime.min.time(), ZoneInfo("Europe/Amsterdam")).replace(minute=30)
    assert now.astimezone(UTC).date() < seeded_on
    document = _seeded(settings, now)
    assert [(period["from"], period["to"]) for period in document["periods"]] == [(first_day, last_day)]
    assert date.fromisoformat(last_day) >= seeded_on
    text, _findings = ready_made(document, "holiday_closure", seeded_on)
    said = f"gesloten van 24 december {first_day[:4]} tot en met 1 januari {last_day[:4]}"
    assert text.startswith(f"Huisartsenpraktijk De Linde is wegens vakantie {said}")

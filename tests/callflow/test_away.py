"""calendar: {when_away: service}: while an away spell runs in opening hours, the service takes the call at once."""

from datetime import UTC, datetime

import pytest

from ivr.callflow import flow
from ivr.callflow.model import DialNumbers, Voicemail
from ivr.callflow.schedule import Away, Holiday, Open, OutsideHours, Situation, situation
from ivr.callflow.steps import Dial, Gather, Hook
from tests.callflow.factory import make_business

# Tuesday 24 November 2026; Amsterdam is UTC+1. The factory's business is open 08:00-17:00 on weekdays.
SPELL = (datetime(2026, 11, 24, 8, tzinfo=UTC), datetime(2026, 11, 24, 14, tzinfo=UTC))
SERVICE = DialNumbers(("+31208888888",))

CASES: list[tuple[str, datetime, dict[str, object], Situation]] = [
    ("away in opening hours", datetime(2026, 11, 24, 9, tzinfo=UTC), {}, Away(SPELL[1])),
    ("back at the spell's end", datetime(2026, 11, 24, 14, tzinfo=UTC), {}, Open()),
    ("when_away: ring follows no spell", datetime(2026, 11, 24, 9, tzinfo=UTC), {"away_to_service": False}, Open()),
    ("closed hours win", datetime(2026, 11, 24, 6, tzinfo=UTC), {"away": ((SPELL[0].replace(hour=5), SPELL[1]),)},
     OutsideHours()),
    ("a holiday wins", datetime(2026, 12, 25, 9, tzinfo=UTC),
     {"away": ((datetime(2026, 12, 25, tzinfo=UTC), datetime(2026, 12, 26, tzinfo=UTC)),)}, Holiday("Eerste kerstdag")),
]  # fmt: skip


@pytest.mark.parametrize(("name", "now", "overrides", "expected"), CASES, ids=[case[0] for case in CASES])
def test_situation_while_away(name: str, now: datetime, overrides: dict[str, object], expected: Situation) -> None:
    business = make_business(**{"away_to_service": True, "away": (SPELL,), "overflow": SERVICE, **overrides})
    assert situation(business, now) == expected


def test_away_dials_the_service_with_its_whisper_after_the_welcome_and_no_menu() -> None:
    business = make_business(away_to_service=True, away=(SPELL,), overflow=SERVICE)
    decision = flow.incoming(business, datetime(2026, 11, 24, 9, tzinfo=UTC))
    assert decision.path == "away>overflow:dial"
    assert not any(isinstance(step, Gather) for step in decision.steps)
    dial = decision.steps[-1]
    assert isinstance(dial, Dial) and dial.numbers == SERVICE.numbers
    assert dial.whisper is not None and dial.whisper.hook is Hook.WHISPER


def test_without_a_service_to_dial_the_call_goes_as_usual() -> None:
    box = Voicemail(("praktijk@example.nl",))
    business = make_business(away_to_service=True, away=(SPELL,), overflow=box)
    away = flow.incoming(business, datetime(2026, 11, 24, 9, tzinfo=UTC))
    usual = flow.incoming(make_business(overflow=box), datetime(2026, 11, 24, 9, tzinfo=UTC))
    assert away == usual

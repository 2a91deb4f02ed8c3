"""Why a call ended, decided from what the call log holds: one row per case of the documented list."""

from datetime import UTC, datetime

import pytest

from ivr.callflow import flow
from ivr.callflow.end_reasons import CallFacts, EndReason, end_reason
from ivr.callflow.model import Prompt
from ivr.callflow.timeline import Stage, stage_at, stage_marks
from tests.callflow.factory import EMERGENCY, REPEATS, make_business

WELCOME_TO_RINGING = ((Stage.WELCOME, 0.0), (Stage.INFORMATION, 3.0), (Stage.MENU, 12.0), (Stage.RINGING, 20.0))

CASES = [
    # (outcome, path, simulated, duration_s, marks, expected)
    ("operator", ("welcome", "operators:completed"), False, 60, (), EndReason.ANSWERED_STAFF),
    ("operator", ("welcome+menu", "menu:1", "whisper:menu:1", "option:completed"), False, 60, (), "answered_service"),
    (
        "overflow",
        ("welcome", "operators:no-answer>overflow:dial", "whisper:no-choice", "overflow:completed"),
        False,
        90,
        (),
        EndReason.ANSWERED_SERVICE,
    ),
    ("closed", ("closed:hours", "emergency:1", "emergency:completed"), False, 80, (), EndReason.ANSWERED_STAFF),
    (
        "voicemail",
        ("welcome", "operators:no-answer>overflow:voicemail", "voicemail:recorded"),
        False,
        70,
        (),
        EndReason.MESSAGE_LEFT,
    ),
    ("voicemail", ("closed:hours", "voicemail:recorded"), False, 40, (), EndReason.MESSAGE_LEFT),
    ("callback", ("closed:hours", "callback:confirmed"), False, 40, (), EndReason.CALLBACK_REQUESTED),
    ("blocked", ("blocked",), False, 5, (), EndReason.BLOCKED),
    ("hung up", ("welcome+menu",), False, 2, WELCOME_TO_RINGING, EndReason.HUNG_UP_WELCOME),
    ("hung up", ("welcome+menu",), False, 5, WELCOME_TO_RINGING, EndReason.HUNG_UP_INFORMATION),
    ("hung up", ("welcome+menu",), False, 15, WELCOME_TO_RINGING, EndReason.HUNG_UP_MENU),
    ("hung up", ("welcome+menu",), False, 31, WELCOME_TO_RINGING, EndReason.HUNG_UP_RINGING),
    # Logged before stage marks were kept: the path alone places the caller.
    ("hung up", ("welcome",), False, 31, (), EndReason.HUNG_UP_WELCOME),
    ("hung up", ("welcome+menu", "menu:wrong:9"), False, 31, (), EndReason.HUNG_UP_MENU),
    ("hung up", ("welcome", "operators:0:no-answer"), False, 31, (), EndReason.HUNG_UP_RINGING),
    ("hung up", ("welcome", "operators:no-answer>overflow:voicemail"), False, 50, (), EndReason.BUSY),
    ("closed", ("closed:hours",), False, 20, (), EndReason.CLOSED_NO_MESSAGE),
    ("closed", ("closed:holiday:Kerstmis",), False, 20, (), EndReason.HOLIDAY),
    ("closed", ("period:2026-12-24",), False, 20, (), EndReason.PERIOD),
    ("missed", ("welcome", "operators:busy>overflow:none"), False, 20, (), EndReason.BUSY),
    ("missed", ("welcome", "operators:failed>overflow:none"), False, 20, (), EndReason.FAILED),
    ("fallback", ("fallback:message",), False, 10, (), EndReason.FAILED),
    ("unknown number", ("unknown-number",), False, 10, (), EndReason.FAILED),
    ("operator", ("welcome", "operators:completed"), True, 60, (), EndReason.SIMULATED),
    (None, ("welcome",), False, None, (), None),
]


@pytest.mark.parametrize(("outcome", "path", "simulated", "duration_s", "marks", "expected"), CASES)
def test_every_call_gets_its_reason(
    outcome: str | None,
    path: tuple[str, ...],
    simulated: bool,
    duration_s: int | None,
    marks: tuple[tuple[Stage, float], ...],
    expected: str | None,
) -> None:
    assert end_reason(CallFacts(outcome, path, simulated, duration_s, marks)) == expected


def test_the_stages_of_a_menu_answer_in_the_order_heard() -> None:
    business = make_business(
        info=Prompt("Wij zijn op maandag tot en met vrijdag open van acht tot vijf."), menu=(EMERGENCY, REPEATS)
    )
    decision = flow.incoming(business, datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    marks = stage_marks(business, decision.steps)
    assert [stage for stage, _ in marks] == [Stage.WELCOME, Stage.MENU, Stage.INFORMATION, Stage.MENU, Stage.RINGING]
    # 36 characters of welcome at 14 a second: the emergency option after 2.6 s.
    assert marks[1][1] == pytest.approx(2.6)
    ringing = marks[-1][1]
    assert ringing > marks[3][1] + flow.MENU_WAIT_S
    assert stage_at(marks, ringing + 1) is Stage.RINGING
    assert stage_at(marks, 0) is Stage.WELCOME


def test_a_closed_answer_is_a_message_then_the_box() -> None:
    business = make_business()
    decision = flow.incoming(business, datetime(2026, 11, 24, 22, 0, tzinfo=UTC))
    assert [stage for stage, _ in stage_marks(business, decision.steps)] == [Stage.MESSAGE, Stage.VOICEMAIL]

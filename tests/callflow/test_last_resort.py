"""The fallback's overflow from the routing snapshot (ivr.callflow.last_resort), table-tested."""

import pytest

from ivr.callflow.flow import FALLBACK_DIAL_TIMEOUT_S, VOICEMAIL_MAX_LENGTH_S
from ivr.callflow.last_resort import (
    LastKnownOverflow,
    after_fallback_dial,
    after_fallback_recording,
    fallback_with_overflow,
    overflow_destination,
)
from ivr.callflow.model import Country, DialNumbers, Language, Prompt, Voicemail
from ivr.callflow.steps import Decision, Dial, Hangup, Hook, Outcome, Record, Say, Webhook

NL, STAFF, SERVICE = Language.NL, ("+31501111111",), ("+31208888888",)
SORRY = Prompt("Er is nu helaas niemand bereikbaar.")
SERVICE_OVERFLOW = LastKnownOverflow(7, DialNumbers(SERVICE), Prompt("Spreek na de toon."))
BOX_OVERFLOW = LastKnownOverflow(7, Voicemail(emails=(), box="overflow"), Prompt("Spreek na de toon."))
TO_FALLBACK_STAGE = Webhook(Hook.DIAL_ENDED, (("stage", "fallback"),))
BOX = (("business", "7"), ("box", "overflow"))


def test_without_an_overflow_the_fallback_is_as_before() -> None:
    decision = fallback_with_overflow(STAFF, SORRY, NL, Country.NL, None)
    assert decision.steps == (Dial(STAFF, FALLBACK_DIAL_TIMEOUT_S, Country.NL, None), Say(SORRY.text, NL), Hangup())


def test_with_an_overflow_the_staffs_dial_ends_at_the_fallback_stage() -> None:
    decision = fallback_with_overflow(STAFF, SORRY, NL, Country.NL, SERVICE_OVERFLOW)
    assert decision == Decision(
        (Dial(STAFF, FALLBACK_DIAL_TIMEOUT_S, Country.NL, TO_FALLBACK_STAGE),), "fallback:operators"
    )


@pytest.mark.parametrize(
    ("status", "overflow", "expected"),
    [
        ("completed", SERVICE_OVERFLOW, Decision((Hangup(),), "fallback:completed", Outcome.OPERATOR)),
        (
            "no-answer",
            SERVICE_OVERFLOW,
            Decision(
                (Dial(SERVICE, FALLBACK_DIAL_TIMEOUT_S, Country.NL, None), Say(SORRY.text, NL), Hangup()),
                "fallback:no-answer>overflow:dial",
                Outcome.FALLBACK,
            ),
        ),
        (
            "busy",
            BOX_OVERFLOW,
            Decision(
                (
                    Say("Spreek na de toon.", NL),
                    Record(Webhook(Hook.RECORDED, BOX), Webhook(Hook.RECORDING, BOX), VOICEMAIL_MAX_LENGTH_S),
                    Hangup(),
                ),
                "fallback:busy>overflow:voicemail",
                Outcome.FALLBACK,
            ),
        ),
        ("", None, Decision((Say(SORRY.text, NL), Hangup()), "fallback:failed>overflow:none", Outcome.FALLBACK)),
    ],
)
def test_after_the_fallbacks_dial(status: str, overflow: LastKnownOverflow | None, expected: Decision) -> None:
    assert after_fallback_dial(status, overflow, SORRY, NL, Country.NL) == expected


def test_no_staff_goes_straight_to_the_overflow() -> None:
    decision = fallback_with_overflow((), SORRY, NL, Country.NL, BOX_OVERFLOW)
    assert [type(step) for step in decision.steps] == [Say, Record, Hangup]


def test_after_a_recording_the_caller_is_thanked_and_never_rung_again() -> None:
    decision = after_fallback_recording(Prompt("Bedankt, tot ziens."), NL)
    assert decision.steps == (Say("Bedankt, tot ziens.", NL), Hangup())


@pytest.mark.parametrize(
    ("numbers", "box", "expected"),
    [(SERVICE, "", DialNumbers(SERVICE)), ((), "overflow", Voicemail(emails=(), box="overflow")), ((), "", None)],
)
def test_the_snapshots_overflow_fields(numbers: tuple[str, ...], box: str, expected: object) -> None:
    assert overflow_destination(numbers, box) == expected

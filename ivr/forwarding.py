"""GSM call-forwarding codes (3GPP TS 22.030) that send a mobile's calls on to a Greetline number."""

from dataclasses import dataclass

from ivr.callflow.model import Country
from ivr.callflow.ringing import RING_CYCLE_S

# The no-reply timer networks accept: 5 to 30 seconds in steps of 5 (3GPP TS 22.082).
TIMER_STEP_S = 5
MIN_TIMER_S = 5
MAX_TIMER_S = 30


@dataclass(frozen=True)
class ForwardCode:
    code: str
    what: str


def no_answer_timer_s(rings: int, country: Country) -> int:
    wanted = rings * RING_CYCLE_S[country]
    rounded = TIMER_STEP_S * round(wanted / TIMER_STEP_S)
    return min(MAX_TIMER_S, max(MIN_TIMER_S, rounded))


def forward_codes(rings: int, to_number: str, country: Country) -> list[ForwardCode]:
    timer_s = no_answer_timer_s(rings, country)
    return [
        ForwardCode(
            f"**61*{to_number}**{timer_s}#",
            f"not answered within {timer_s} s (about {rings} rings): forward to Greetline",
        ),
        ForwardCode(f"**67*{to_number}#", "busy: forward to Greetline"),
        ForwardCode(f"**62*{to_number}#", "switched off or out of reach: forward to Greetline"),
        ForwardCode(f"**21*{to_number}#", "always: every call goes to Greetline at once (holidays, closed days)"),
        ForwardCode("##002#", "cancel all forwarding"),
    ]

"""Call-forwarding codes that send a phone's calls on to a Greetline number: GSM mobiles (3GPP TS 22.030)
and Dutch landlines (analogue and ISDN supplementary-service codes, as KPN documents them)."""

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


def _no_answer_meaning(rings: int, country: Country, timer_s: int) -> str:
    wanted_s = rings * RING_CYCLE_S[country]
    if wanted_s > MAX_TIMER_S:
        return (
            f"not answered within {timer_s} s, the longest a mobile waits (you chose {rings} rings, about "
            f"{wanted_s} s): forward to Greetline"
        )
    return (
        f"not answered within {timer_s} s (about {round(timer_s / RING_CYCLE_S[country])} rings): forward to Greetline"
    )


def forward_codes(rings: int, to_number: str, country: Country) -> list[ForwardCode]:
    timer_s = no_answer_timer_s(rings, country)
    return [
        ForwardCode(f"**61*{to_number}**{timer_s}#", _no_answer_meaning(rings, country, timer_s)),
        ForwardCode(f"**67*{to_number}#", "busy: forward to Greetline"),
        ForwardCode(f"**62*{to_number}#", "switched off or out of reach: forward to Greetline"),
        ForwardCode(f"**21*{to_number}#", "always: every call goes to Greetline at once (holidays, closed days)"),
        ForwardCode("##002#", "cancel all forwarding"),
    ]


# Landline codes per line type: (always, no answer, busy); each is cancelled with # and its service number.
# A landline's no-answer time is set by the exchange (about 20 s), not by the code.
LANDLINE_SERVICES = {"analogue": ("21", "61", "67"), "ISDN": ("210", "610", "670")}


def landline_codes(to_number: str) -> dict[str, list[ForwardCode]]:
    codes: dict[str, list[ForwardCode]] = {}
    for line, (always, no_answer, busy) in LANDLINE_SERVICES.items():
        codes[line] = [
            ForwardCode(
                f"*{no_answer}*{to_number}#", "not answered (after the exchange's own time): forward to Greetline"
            ),
            ForwardCode(f"#{no_answer}#", "cancel forwarding when not answered"),
            ForwardCode(f"*{busy}*{to_number}#", "busy: forward to Greetline"),
            ForwardCode(f"#{busy}#", "cancel forwarding when busy"),
            ForwardCode(f"*{always}*{to_number}#", "always: every call goes to Greetline at once"),
            ForwardCode(f"#{always}#", "cancel forwarding always"),
        ]
    return codes

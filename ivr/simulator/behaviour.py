"""How the phones the simulator dials behave: answer after N seconds, never, or busy."""

from dataclasses import dataclass
from enum import StrEnum

from ivr.errors import InputError


class Answering(StrEnum):
    AFTER = "answer-after"
    NEVER = "never"
    BUSY = "busy"


@dataclass(frozen=True)
class PhoneBehaviour:
    answering: Answering
    after_s: float = 0.0

    def outcome(self, ringing_s: float) -> tuple[str, float]:
        """Twilio's DialCallStatus and how many seconds the caller heard ringing before it."""
        if self.answering is Answering.BUSY:
            return "busy", 0.0
        if self.answering is Answering.AFTER and self.after_s <= ringing_s:
            return "completed", self.after_s
        return "no-answer", ringing_s


def parse_behaviour(text: str) -> PhoneBehaviour:
    """'answer-after:8', 'never' or 'busy'."""
    name, _, seconds = text.strip().partition(":")
    if name == Answering.AFTER.value:
        try:
            after_s = float(seconds)
        except ValueError:
            after_s = -1.0
        if after_s < 0:
            raise InputError(f"{text!r}: write answer-after:SECONDS, e.g. answer-after:8")
        return PhoneBehaviour(Answering.AFTER, after_s)
    if name in (Answering.NEVER.value, Answering.BUSY.value) and not seconds:
        return PhoneBehaviour(Answering(name))
    raise InputError(f"unknown phone behaviour {text!r}; use answer-after:SECONDS, never or busy")

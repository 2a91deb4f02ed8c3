"""Why a call ended: one reason per call from a fixed list, decided from what the call log holds.

The list is documented in the README ("Why each call ended"); the calls page, the API (`end_reason`), the CSV, the
daily summary and the statistics all use these values. Decided here, from plain data, so that the writer of the
call log, the migration that filled in older calls and the tests agree.
"""

from dataclasses import dataclass
from enum import StrEnum

from ivr.callflow.steps import Outcome
from ivr.callflow.timeline import Mark, Stage, stage_at


class EndReason(StrEnum):
    ANSWERED_STAFF = "answered_staff"
    ANSWERED_SERVICE = "answered_service"
    MESSAGE_LEFT = "message_left"
    CALLBACK_REQUESTED = "callback_requested"
    BLOCKED = "blocked"
    HUNG_UP_WELCOME = "hung_up_welcome"
    HUNG_UP_INFORMATION = "hung_up_information"
    HUNG_UP_MENU = "hung_up_menu"
    HUNG_UP_RINGING = "hung_up_ringing"
    CLOSED_NO_MESSAGE = "closed_no_message"
    HOLIDAY = "holiday"
    PERIOD = "period"
    # Nobody was free: the phones were busy or rang out, and the caller left no message.
    BUSY = "busy"
    # Something failed: an unknown number, our fallback, or a dial Twilio could not make.
    FAILED = "failed"
    SIMULATED = "simulated"


HUNG_UP = (
    EndReason.HUNG_UP_WELCOME,
    EndReason.HUNG_UP_INFORMATION,
    EndReason.HUNG_UP_MENU,
    EndReason.HUNG_UP_RINGING,
)
ANSWERED = (EndReason.ANSWERED_STAFF, EndReason.ANSWERED_SERVICE)

# Outcomes another part of the flow sets (callback requests, blocked numbers), as the call log stores them.
CALLBACK_OUTCOME = "callback"
BLOCKED_OUTCOME = "blocked"


@dataclass(frozen=True)
class CallFacts:
    """What the call log holds about one call. `marks`: where each stage began, in seconds from the call's start
    (empty for calls logged before they were kept); `duration_s`: Twilio's length of the call, once it ended."""

    outcome: str | None
    path: tuple[str, ...]
    simulated: bool = False
    duration_s: int | None = None
    marks: tuple[Mark, ...] = ()


def _dial_status(label: str) -> str:
    """The status a dial ended with ("operators:busy>overflow:none" → busy), or empty."""
    return label.split(">", 1)[0].rsplit(":", 1)[-1]


def _answered(path: tuple[str, ...]) -> bool:
    return any(_dial_status(label) in ("completed", "answered") for label in path)


def _closed(path: tuple[str, ...]) -> EndReason | None:
    first = path[0] if path else ""
    if first.startswith("closed:holiday"):
        return EndReason.HOLIDAY
    if first.startswith("period:"):
        return EndReason.PERIOD
    if first.startswith("closed:"):
        return EndReason.CLOSED_NO_MESSAGE
    return None


_BY_STAGE = {
    Stage.WELCOME: EndReason.HUNG_UP_WELCOME,
    Stage.INFORMATION: EndReason.HUNG_UP_INFORMATION,
    Stage.MENU: EndReason.HUNG_UP_MENU,
    Stage.RINGING: EndReason.HUNG_UP_RINGING,
    # A caller who hung up at a message or a voicemail box during open hours reached nobody free.
    Stage.MESSAGE: EndReason.BUSY,
    Stage.VOICEMAIL: EndReason.BUSY,
}


def _stage_by_path(path: tuple[str, ...]) -> Stage:
    """For calls logged without stage marks: the last label says at least which part the caller was in."""
    last = path[-1] if path else ""
    if last in ("welcome", "welcome+menu"):
        return Stage.WELCOME
    if last.startswith("menu:wrong:"):
        return Stage.MENU
    if "voicemail" in last:
        return Stage.VOICEMAIL
    return Stage.RINGING


def hung_up_stage(facts: CallFacts) -> Stage:
    if facts.marks and facts.duration_s is not None:
        found = stage_at(facts.marks, facts.duration_s)
        if found is not None:
            return found
    return _stage_by_path(facts.path)


def end_reason(facts: CallFacts) -> EndReason | None:
    """None while the call is still going and nothing has settled it."""
    outcome, path = facts.outcome, facts.path
    if facts.simulated:
        return EndReason.SIMULATED
    if outcome == BLOCKED_OUTCOME:
        return EndReason.BLOCKED
    if outcome == CALLBACK_OUTCOME:
        return EndReason.CALLBACK_REQUESTED
    if outcome == Outcome.VOICEMAIL:
        return EndReason.MESSAGE_LEFT
    if outcome == Outcome.OVERFLOW:
        return EndReason.ANSWERED_SERVICE
    if outcome == Outcome.OPERATOR or _answered(path):
        # The answering service hears a whisper before it is put through; staff phones never do.
        whispered = any(label.startswith("whisper:") for label in path)
        return EndReason.ANSWERED_SERVICE if whispered else EndReason.ANSWERED_STAFF
    if outcome in (Outcome.FALLBACK, Outcome.UNKNOWN_NUMBER):
        return EndReason.FAILED
    closed = _closed(path)
    if closed is not None:
        return closed
    if outcome == Outcome.MISSED:
        failed = any(_dial_status(label) == "failed" for label in path)
        return EndReason.FAILED if failed else EndReason.BUSY
    if outcome == Outcome.HUNG_UP:
        return _BY_STAGE[hung_up_stage(facts)]
    if outcome is None:
        return None
    return EndReason.FAILED  # an outcome this list does not know yet: counted, never hidden


def takes_emergency_option(label: str, emergency_keys: tuple[str, ...]) -> bool:
    """Whether a path label is a caller choosing an emergency option: the closed message's emergency key
    ("emergency:1", not "emergency:wrong:5") or a menu option marked emergency ("menu:1")."""
    if label.startswith("emergency:"):
        return not label.startswith("emergency:wrong:")
    return label.startswith("menu:") and label.removeprefix("menu:") in emergency_keys

"""A callback request: the caller hears their own number read back and confirms it with 1, or keys in another one
ended with #; a number that cannot be called back is said why, once more, then the voicemail box or goodbye.

The number check itself (length, premium rate, a real range) is the adapter's (ivr.document.keyed_numbers): it
hands in what it found as plain data, so every answer here is table-tested without a numbering plan.
"""

from dataclasses import dataclass
from enum import StrEnum

from ivr.callflow.flow import route_params, speak, voicemail_steps
from ivr.callflow.model import Business, CallbackTexts, Prompt, voicemail_boxes
from ivr.callflow.steps import Decision, Gather, Hangup, Hook, Outcome, Say, Speech, Step, Webhook

# The key that confirms the number read back, and the key of the offer before a voicemail's beep.
CONFIRM_KEY = "1"
OFFER_KEY = "1"
# How long keying in waits after the last key before it takes what came (Twilio <Gather timeout>, seconds): a caller
# looking up a number needs a moment, and # ends it at once.
KEY_IN_WAIT_S = 6
# A number that cannot be called back is said why, and the caller may key in once more.
ATTEMPTS = 2
# Read for "+" in a number read back; the same word in the four languages.
PLUS_WORD = "plus"


class NumberProblem(StrEnum):
    TOO_SHORT = "too-short"
    TOO_LONG = "too-long"
    PREMIUM = "premium"
    NOT_A_NUMBER = "not-a-number"


@dataclass(frozen=True)
class SpokenNumber:
    """A number that can be called back, and its digit groups as people write it ("06", "12", "34", …)."""

    e164: str
    groups: tuple[str, ...]


KeyedNumber = SpokenNumber | NumberProblem


@dataclass(frozen=True)
class CallbackAnswer:
    """The decision, and the number to call back once the caller confirmed one (the adapter stores the request)."""

    decision: Decision
    number: str | None = None


def read_back(number: SpokenNumber, digits: tuple[str, ...]) -> str:
    """Digit by digit in the business's language, a pause (a comma) between groups: "nul zes, één twee, …"."""
    words = (
        " ".join(PLUS_WORD if char == "+" else digits[int(char)] for char in group if char.isdigit() or char == "+")
        for group in number.groups
    )
    return ", ".join(word for word in words if word)


def _with_number(prompt: Prompt, texts: CallbackTexts, number: SpokenNumber, business: Business) -> Say:
    return Say(prompt.text.replace("{number}", read_back(number, texts.digits)), business.language)


def _problem_text(texts: CallbackTexts, problem: NumberProblem) -> Prompt:
    return {
        NumberProblem.TOO_SHORT: texts.too_short,
        NumberProblem.TOO_LONG: texts.too_long,
        NumberProblem.PREMIUM: texts.premium,
        NumberProblem.NOT_A_NUMBER: texts.not_a_number,
    }[problem]


def _give_up(business: Business, box: str, path: str, came: tuple[str, ...]) -> tuple[Step, ...]:
    """No number to call back: the voicemail box the caller came from (`came`: the route that led there), else
    goodbye."""
    found = voicemail_boxes(business).get(box)
    if found is not None:
        return voicemail_steps(business, found, (*came, path), offer=False)
    return (speak(business.texts.goodbye, business.language), Hangup())


def _ask(
    business: Business,
    texts: CallbackTexts,
    caller: SpokenNumber | None,
    box: str,
    attempt: int,
    came: tuple[str, ...],
    lead: tuple[Speech, ...] = (),
) -> tuple[Step, ...]:
    """Ask for the number; a caller who keys nothing hears the box or goodbye after the wait, never silence."""
    question = (
        _with_number(texts.your_number, texts, caller, business) if caller else speak(texts.key_in, business.language)
    )
    params = (("attempt", str(attempt)), *((("box", box),) if box else ()), *route_params(came))
    gather = Gather(
        (*lead, question), Webhook(Hook.CALLBACK_NUMBER, params), KEY_IN_WAIT_S, num_digits=None, finish_on_key="#"
    )
    return (gather, *_give_up(business, box, "callback:no-key", came))


def _no_callbacks(business: Business, box: str, came: tuple[str, ...]) -> Decision:
    """The business stopped taking callback requests during the call: the caller still gets somewhere."""
    steps = _give_up(business, box, "callback:off", came)
    return Decision(steps, "callback:off", None if box in voicemail_boxes(business) else Outcome.MISSED)


def callback_start(
    business: Business, caller: SpokenNumber | None, box: str = "", came: tuple[str, ...] = ()
) -> Decision:
    """`caller`: the caller's number read from the call, None when withheld (then the caller keys one in);
    `box`: the voicemail box the caller came from, the way out when no number comes; `came`: the route that led
    to that box, carried on to the message left there (issue 20 item 7)."""
    texts = business.callback
    if texts is None:
        return _no_callbacks(business, box, came)
    steps = _ask(business, texts, caller, box, attempt=1, came=came)
    return Decision(steps, "callback:ask" if caller else "callback:key-in")


def callback_offer(
    business: Business, digits: str, caller: SpokenNumber | None, box: str, came: tuple[str, ...] = ()
) -> Decision:
    """A key pressed during the offer before a voicemail's beep: 1 starts a request, any other the message."""
    if digits == OFFER_KEY:
        return callback_start(business, caller, box, came)
    found = voicemail_boxes(business).get(box)
    if found is None:  # the box went away during the call
        return _no_callbacks(business, "", came)
    steps = voicemail_steps(business, found, (*came, "callback:declined"), offer=False)
    return Decision(steps, "callback:declined")


def callback_number(
    business: Business,
    digits: str,
    caller: SpokenNumber | None,
    keyed: KeyedNumber,
    attempt: int,
    box: str = "",
    came: tuple[str, ...] = (),
) -> CallbackAnswer:
    """The caller's keys: 1 confirms the number read back, anything else is a number keyed in (`keyed`: what the
    adapter made of `digits`)."""
    texts = business.callback
    if texts is None:
        return CallbackAnswer(_no_callbacks(business, box, came))
    number = caller if digits == CONFIRM_KEY and caller is not None else keyed
    if isinstance(number, SpokenNumber):
        steps = (_with_number(texts.confirmed, texts, number, business), Hangup())
        return CallbackAnswer(Decision(steps, "callback:requested", Outcome.CALLBACK), number.e164)
    why = speak(_problem_text(texts, number), business.language)
    path = f"callback:{number.value}"
    if attempt < ATTEMPTS:
        return CallbackAnswer(Decision(_ask(business, texts, None, box, attempt + 1, came, lead=(why,)), path))
    outcome = None if box in voicemail_boxes(business) else Outcome.MISSED
    return CallbackAnswer(Decision((why, *_give_up(business, box, path, came)), path, outcome))

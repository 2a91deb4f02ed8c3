"""The fallback's overflow: a caller the staff do not answer while the database is away still reaches the answering
service, or leaves a message, as the business's routing snapshot last said (issue 25).

`flow.fallback` rings the staff with no further webhook. With an overflow known, their dial gets an action instead:
the dial-ended webhook at the fallback's own stage, which decides from the snapshot alone (never the database): an
answered dial ends the call, anything else goes on to the answering service or the voicemail box. A message left
there is taken in by the recording status callback or, when that too finds the database away, by the reconciler
from Twilio's list of recordings.
"""

from dataclasses import dataclass

from ivr.callflow.flow import FALLBACK_DIAL_TIMEOUT_S, VOICEMAIL_MAX_LENGTH_S, fallback, speak
from ivr.callflow.model import Country, Destination, DialNumbers, Language, Prompt, Voicemail
from ivr.callflow.steps import Decision, Dial, Hangup, Hook, Outcome, Record, Say, Step, Webhook

# The dial-ended webhook's `stage` after the fallback's dial (ivr.web.twilio_hooks answers it from the snapshot).
FALLBACK_STAGE = "fallback"
# Twilio's DialCallStatus values that mean somebody took the call (Twilio docs, <Dial> action).
ANSWERED = frozenset({"completed", "answered"})


@dataclass(frozen=True)
class LastKnownOverflow:
    """Where the business sends callers nobody answered, as its routing snapshot holds it."""

    business_id: int
    destination: Destination  # the answering service's numbers, or the voicemail box (by name)
    voicemail: Prompt  # what the caller hears before the tone


def fallback_with_overflow(
    operators: tuple[str, ...],
    message: Prompt,
    language: Language,
    country: Country,
    overflow: LastKnownOverflow | None,
) -> Decision:
    if overflow is None:
        return fallback(operators, message, language, country)
    if not operators:
        return after_fallback_dial("no-answer", overflow, message, language, country)
    action = Webhook(Hook.DIAL_ENDED, (("stage", FALLBACK_STAGE),))
    return Decision((Dial(operators, FALLBACK_DIAL_TIMEOUT_S, country, action),), "fallback:operators")


def after_fallback_dial(
    status: str, overflow: LastKnownOverflow | None, message: Prompt, language: Language, country: Country
) -> Decision:
    """The fallback's dial to the staff ended with `status`: done if answered, else the overflow."""
    if status in ANSWERED:
        return Decision((Hangup(),), f"fallback:{status}", Outcome.OPERATOR)
    closing: tuple[Step, ...] = (speak(message, language), Hangup())
    label = f"fallback:{status or 'failed'}"
    if overflow is None:
        return Decision(closing, f"{label}>overflow:none", Outcome.FALLBACK)
    destination = overflow.destination
    if isinstance(destination, DialNumbers):
        # No whisper: its webhook would need the business, which only the database can give now.
        dial = Dial(destination.numbers, FALLBACK_DIAL_TIMEOUT_S, country, action=None)
        return Decision((dial, *closing), f"{label}>overflow:dial", Outcome.FALLBACK)
    if not isinstance(destination, Voicemail):  # an overflow is a dial or a box; a callback is only a menu's
        return Decision(closing, f"{label}>overflow:none", Outcome.FALLBACK)
    hooks = {
        hook: Webhook(hook, (("business", str(overflow.business_id)), ("box", destination.box)))
        for hook in (Hook.RECORDED, Hook.RECORDING)
    }
    steps = (
        speak(overflow.voicemail, language),
        Record(hooks[Hook.RECORDED], hooks[Hook.RECORDING], VOICEMAIL_MAX_LENGTH_S),
        Hangup(),
    )
    return Decision(steps, f"{label}>overflow:voicemail", Outcome.FALLBACK)


def after_fallback_recording(goodbye: Prompt, language: Language) -> Decision:
    """A message was recorded but cannot be answered from the business's data: thank the caller, never ring again."""
    return Decision((Say(goodbye.text, language), Hangup()), "fallback:recorded", Outcome.VOICEMAIL)


def overflow_destination(numbers: tuple[str, ...], box: str) -> Destination | None:
    """The snapshot's overflow fields as a destination: the answering service, a voicemail box, or none."""
    if numbers:
        return DialNumbers(numbers)
    return Voicemail(emails=(), box=box) if box else None

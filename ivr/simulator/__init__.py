"""The call simulator: plays the part of Twilio and a caller against the app, and says what the caller hears."""

from datetime import datetime

from ivr.callflow.model import AwaySpell

# A form field the simulator sends (signed like every other) to run a call at another local time; the voice webhooks
# (ivr.web.twilio_hooks) read it. Here, not there: the simulator talks to a server over HTTP and needs no web code.
SIMULATED_TIME_FIELD = "GreetlineSimulatedAt"
# A form field on every request the simulator signs: the call is a simulation. Its row in the call log is marked,
# its messages are printed instead of stored and sent (ivr.messages.simulated). Signed with the auth token like the
# rest of the form, so only who may act as Twilio can mark a call.
SIMULATED_CALL_FIELD = "GreetlineSimulated"
SIMULATED = "1"
# A form field the simulator sends (`greetline call --calendar FILE.ics`): the away spells of a calendar read by the
# CLI, "start/end" instants (ISO 8601) joined by ",", followed instead of the stored copy's; empty: nobody away.
# Parsed spells, never a feed: the voice webhook reads no calendar.
SIMULATED_AWAY_FIELD = "GreetlineSimulatedAway"


def is_simulated(value: object) -> bool:
    """The form's SIMULATED_CALL_FIELD, as the webhooks read it."""
    return value == SIMULATED


def away_field(spells: tuple[AwaySpell, ...]) -> str:
    return ",".join(f"{start.isoformat()}/{end.isoformat()}" for start, end in spells)


def away_of_field(value: str) -> tuple[AwaySpell, ...]:
    """SIMULATED_AWAY_FIELD read back; a malformed one raises ValueError (the webhook answers its fallback)."""
    spells = []
    for spell in filter(None, value.split(",")):
        start, end = spell.split("/")
        spells.append((datetime.fromisoformat(start), datetime.fromisoformat(end)))
    return tuple(spells)

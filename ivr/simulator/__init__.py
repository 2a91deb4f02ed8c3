"""The call simulator: plays the part of Twilio and a caller against the app, and says what the caller hears."""

# A form field the simulator sends (signed like every other) to run a call at another local time; the voice webhooks
# (ivr.web.twilio_hooks) read it. Here, not there: the simulator talks to a server over HTTP and needs no web code.
SIMULATED_TIME_FIELD = "GreetlineSimulatedAt"
# A form field on every request the simulator signs: the call is a simulation. Its row in the call log is marked,
# its messages are printed instead of stored and sent (ivr.messages.simulated). Signed with the auth token like the
# rest of the form, so only who may act as Twilio can mark a call.
SIMULATED_CALL_FIELD = "GreetlineSimulated"
SIMULATED = "1"


def is_simulated(value: object) -> bool:
    """The form's SIMULATED_CALL_FIELD, as the webhooks read it."""
    return value == SIMULATED

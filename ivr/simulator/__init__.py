"""The call simulator: plays the part of Twilio and a caller against the app, and says what the caller hears."""

# A form field the simulator sends (signed like every other) to run a call at another local time; the voice webhooks
# (ivr.web.twilio_hooks) read it. Here, not there: the simulator talks to a server over HTTP and needs no web code.
SIMULATED_TIME_FIELD = "GreetlineSimulatedAt"

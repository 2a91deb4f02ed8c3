"""The call simulator: plays the part of Twilio and a caller against the app, and says what the caller hears."""

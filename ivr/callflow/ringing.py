"""How many seconds of ringing a ring count means, per country."""

from ivr.callflow.model import Country

# One ring cadence (ring + pause) in seconds, from ITU-T E.180 Supplement 2 (ringing tone cadences).
RING_CYCLE_S: dict[Country, int] = {
    Country.NL: 5,
    Country.DE: 5,
    Country.FR: 5,
    Country.BE: 4,
    Country.GB: 3,
    Country.US: 6,
}

# Twilio rings about 5 s longer than <Dial timeout> (Twilio docs, <Dial> "timeout"), so we subtract it.
TWILIO_EXTRA_RING_S = 5
# Twilio accepts <Dial timeout> from 5 to 600 seconds.
MIN_DIAL_TIMEOUT_S = 5
MAX_DIAL_TIMEOUT_S = 600

MIN_RINGS = 1
MAX_RINGS = 10


def dial_timeout_s(rings: int, country: Country) -> int:
    """The <Dial timeout> that makes a phone ring `rings` times before Twilio gives up."""
    wanted_s = rings * RING_CYCLE_S[country] - TWILIO_EXTRA_RING_S
    return min(MAX_DIAL_TIMEOUT_S, max(MIN_DIAL_TIMEOUT_S, wanted_s))


def ringing_s(timeout_s: int) -> int:
    """How long the caller actually hears ringing for a given <Dial timeout>."""
    return timeout_s + TWILIO_EXTRA_RING_S

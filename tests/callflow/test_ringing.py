import pytest

from ivr.callflow.model import Country
from ivr.callflow.ringing import dial_timeout_s, ringing_s


@pytest.mark.parametrize(
    ("rings", "country", "timeout_s"),
    [
        (4, Country.NL, 15),  # 4 x 5 s - 5 s Twilio adds
        (5, Country.NL, 20),
        (1, Country.NL, 5),  # 5 - 5 = 0, raised to Twilio's minimum
        (2, Country.NL, 5),
        (3, Country.DE, 10),
        (6, Country.FR, 25),
        (5, Country.BE, 15),  # 4 s cadence
        (3, Country.GB, 5),  # 3 s cadence: 9 - 5 = 4, raised to 5
        (6, Country.GB, 13),
        (4, Country.US, 19),  # 6 s cadence
        (10, Country.US, 55),
    ],
)
def test_dial_timeout_follows_the_country_cadence(rings: int, country: Country, timeout_s: int) -> None:
    assert dial_timeout_s(rings, country) == timeout_s


def test_caller_hears_about_five_seconds_more_than_the_timeout() -> None:
    assert ringing_s(dial_timeout_s(4, Country.NL)) == 20

"""The signature check accepts exactly what twilio's RequestValidator.validate accepts, asking it the configured URL
first (one HMAC) and its full `validate` only when that does not match."""

import pytest
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from ivr.web.signature import TwilioSignature

TOKEN = "12345678901234567890123456789012"
FORM = FormData([("CallSid", "CA1"), ("To", "+31501234567"), ("From", "+31612345678"), ("Digits", ""), ("To", "x")])


class _Multi(dict[str, list[str]]):
    """The form as the validator reads a MultiDict (every value of a repeated name)."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def _multi(form: FormData) -> _Multi:
    return _Multi({name: form.getlist(name) for name in form})


def _signed(url: str, form: FormData, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, _multi(form))


@pytest.mark.parametrize(
    ("public_url", "signed_url", "accepted"),
    [
        ("https://greet.example", "https://greet.example/twilio/voice?business=1", True),  # as configured
        ("https://greet.example", "https://greet.example:443/twilio/voice?business=1", True),  # with its port
        ("https://greet.example:443", "https://greet.example/twilio/voice?business=1", True),  # without its port
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/twilio/voice?business=1", True),
        ("https://greet.example", "https://greet.example/twilio/voice?business=2", False),  # another query
        ("https://greet.example", "https://other.example/twilio/voice?business=1", False),  # another host
        ("https://greet.example", "https://greet.example:8443/twilio/voice?business=1", False),  # another port
    ],
)
def test_accepts_what_the_validator_accepts(public_url: str, signed_url: str, accepted: bool) -> None:
    signature = _signed(signed_url, FORM)
    check = TwilioSignature(TOKEN, public_url)
    url = public_url + "/twilio/voice?business=1"
    assert RequestValidator(TOKEN).validate(url, _multi(FORM), signature) is accepted
    assert check.valid("/twilio/voice?business=1", FORM, signature) is accepted


def test_refuses_another_form_another_token_and_a_blank_signature() -> None:
    url = "https://greet.example/twilio/voice"
    check = TwilioSignature(TOKEN, "https://greet.example")
    assert check.valid("/twilio/voice", FORM, _signed(url, FORM)) is True
    changed = FormData([*FORM.multi_items()[:-1], ("To", "y")])
    assert check.valid("/twilio/voice", changed, _signed(url, FORM)) is False
    assert check.valid("/twilio/voice", FORM, _signed(url, FORM, token="0" * 32)) is False
    assert check.valid("/twilio/voice", FORM, "") is False

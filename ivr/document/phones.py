"""Phone numbers and e-mail addresses as the document accepts them."""

import re
from typing import Literal, get_args

import phonenumbers
from pydantic import ValidationInfo

from ivr.document.codes import Code, refused

# Deliberately simple: one @, a dot in the domain, no spaces. Delivery is the real test of an address.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# A fixed-line number of each country the document takes, for the examples in refusals: Amsterdam, Berlin,
# Brussels, Paris, London, and the US's range reserved for examples (NANPA: 555-01XX is fictional).
EXAMPLE_NUMBERS = {
    "NL": "+31201234567",
    "DE": "+49301234567",
    "BE": "+3222345678",
    "FR": "+33123456789",
    "GB": "+442071234567",
    "US": "+12015550123",
}
INTERNATIONAL_HINT = "write it in international E.164 form with country code, e.g. +31501234567"


def examples(country: str | None) -> dict[str, str]:
    """A number of `country` written nationally and internationally ({"national": "020 123 4567",
    "international": "+31 20 123 4567"}); none for a country the document does not take."""
    number = EXAMPLE_NUMBERS.get(country or "")
    if number is None:
        return {}
    parsed = phonenumbers.parse(number, None)
    return {
        "national": phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        "international": phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    }


def example(country: str | None) -> str:
    """How to write a number in `country`, in English: "020 123 4567 or +31 20 123 4567"."""
    found = examples(country)
    return f"{found['national']} or {found['international']}" if found else "+31501234567"


def read_number(value: str, country: str | None) -> str:
    """A phone number in E.164, as staff write it: internationally (+31 20 123 4567, 0031 20 123 4567) or
    nationally in `country`, the business's (020 123 4567 in the Netherlands). The one reader of numbers for the
    YAML, the API, the admin page and the card; without a country only the international form can be read.

    Refused with a problem that shows how to write one in that country."""
    text = str(value).strip()
    if country is None and not text.startswith("+"):
        hint = INTERNATIONAL_HINT
        raise refused(Code.NOT_INTERNATIONAL, f"{text!r} is not an international number: {hint}", value=text)
    try:
        parsed = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException as error:
        message = f"{text!r} is not a phone number ({error}): {_how(country)}"
        raise refused(Code.NOT_A_PHONE_NUMBER, message, **_values(text, country)) from None
    if not phonenumbers.is_valid_number(parsed):
        message = f"{text!r} is not a valid phone number: check the digits; {_how(country)}"
        raise refused(Code.INVALID_PHONE_NUMBER, message, **_values(text, country))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# The examples are worked out only for a refusal: parsing and formatting them for every number read was two thirds
# of validating a document (10,000 of them validated when a server starts, issue 25).
def _how(country: str | None) -> str:
    return f"write it as {example(country)}" if country else INTERNATIONAL_HINT


def _values(text: str, country: str | None) -> dict[str, str]:
    # The page words the examples in its own language ("… bijvoorbeeld 020 123 4567 of +31 20 123 4567").
    return {"value": text, **examples(country)}


# The countries a business document takes, and the validation context's key for the document's own (ivr.document.
# load passes it): numbers written the national way are read as that country's.
Countries = Literal["NL", "BE", "DE", "FR", "GB", "US"]
DEFAULT_COUNTRY: Countries = "NL"
COUNTRY = "country"


def iso_country(value: object) -> object:
    # ISO 3166 says GB; people (and the ITU) say UK.
    return "GB" if isinstance(value, str) and value.upper() == "UK" else value


def country_of(data: dict[str, object]) -> str | None:
    """The country a document's national numbers are read in: its `country:` (the default when it names none);
    None when that is no country the document takes (then only international numbers can be read, and the
    country is refused on its own)."""
    country = iso_country(data.get("country", DEFAULT_COUNTRY))
    return country if isinstance(country, str) and country in get_args(Countries) else None


def number_in_country(value: str, info: ValidationInfo) -> str:
    """The document model's reader of a number: `read_number` in the country its validation context names."""
    context = info.context if isinstance(info.context, dict) else {}
    country = context.get(COUNTRY)
    return read_number(value, country if isinstance(country, str) else None)


def email(value: str) -> str:
    text = str(value).strip()
    if not EMAIL_PATTERN.match(text):
        raise refused(Code.NOT_AN_EMAIL, f"{text!r} is not an e-mail address, e.g. praktijk@example.nl", value=text)
    return text


# A mobile's own voicemail typically answers after about 20 s of ringing; past that it takes the call first.
MOBILE_VOICEMAIL_AFTER_S = 20


def is_mobile(number: str) -> bool:
    try:
        kind = phonenumbers.number_type(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return False
    return bool(kind == phonenumbers.PhoneNumberType.MOBILE)


def region_of(number: str) -> str | None:
    """The ISO country of an E.164 number, used to guess a language when nothing else is known."""
    try:
        region: str | None = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return None
    return region


# What Twilio puts in `From` when the caller withholds their number: the words, or their letters on a phone's
# keypad as a number (+266 696687 is "ANONYMOUS", +7 378742833 "RESTRICTED", +256 2533 "BLOCKED", +86 282452253
# "UNAVAILABLE"); none of them can be called back.
WITHHELD_CALLER_IDS = frozenset(
    {
        "anonymous",
        "restricted",
        "blocked",
        "unavailable",
        "unknown",
        "private",
        "+266696687",
        "+7378742833",
        "+2562533",
        "+86282452253",
    }
)


def caller_id(from_field: str) -> str:
    """The caller's number as a webhook's `From` gives it, or "" when the caller withheld it (shown as such)."""
    number = from_field.strip()
    return "" if number.lower() in WITHHELD_CALLER_IDS else number


def for_people(number: str, country: str) -> str:
    """A number as the business's staff dial it: one of the business's own `country` the national way (06 87 65 43
    21, 050 123 4567), any other internationally (+32 470 12 34 56), since its national form dials a number at home.

    phonenumbers' formats, with a Dutch mobile's eight digits in pairs as the Dutch write them. What is no number
    (a withheld caller's "anonymous") stays as it came.
    """
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    if phonenumbers.region_code_for_number(parsed) != country:
        international: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return international
    national: str = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    prefix, _, rest = national.partition(" ")
    if country == "NL" and prefix == "06" and len(rest) == 8 and rest.isdigit():
        return " ".join([prefix, *(rest[i : i + 2] for i in range(0, 8, 2))])
    return national


# An alphanumeric sender ID: 1 to 11 letters and digits with at least one letter (Twilio, "Alphanumeric Sender ID":
# at most 11 characters; one of digits only would be taken for a phone number).
ALPHANUMERIC_SENDER = re.compile(r"^(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{1,11}$")
# Where a geographic (landline) number cannot send SMS through Twilio: Twilio's SMS guidelines for the Netherlands,
# Belgium, Germany and France list landline numbers as not SMS-capable there.
NO_TEXTS_FROM_LANDLINES = frozenset({"NL", "BE", "DE", "FR"})


def sms_sender(value: str) -> str:
    """GREETLINE_SMS_FROM as Twilio takes it: a phone number (normalised to E.164) or an alphanumeric sender ID."""
    text = str(value).strip()
    if ALPHANUMERIC_SENDER.match(text):
        return text
    if text.startswith("+"):
        try:
            parsed = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    raise ValueError(
        "GREETLINE_SMS_FROM must be a phone number in international form, e.g. +31612345678, or an alphanumeric "
        f"sender ID of 1 to 11 letters and digits with at least one letter, e.g. Praktijk; got {text!r}"
    )


def landline_country(sender: str) -> str | None:
    """The country whose landline `sender` is, when landlines there cannot send texts; None for a mobile, an
    alphanumeric sender ID or a number of another country."""
    try:
        parsed = phonenumbers.parse(sender, None)
    except phonenumbers.NumberParseException:
        return None
    country: str | None = phonenumbers.region_code_for_number(parsed)
    landline = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.FIXED_LINE
    return country if landline and country in NO_TEXTS_FROM_LANDLINES else None

"""Phone numbers and e-mail addresses as the document accepts them."""

import re

import phonenumbers

from ivr.document.codes import Code, refused

# Deliberately simple: one @, a dot in the domain, no spaces. Delivery is the real test of an address.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def e164(value: str) -> str:
    """Normalise a phone number to E.164, or explain how to write it."""
    text = str(value).strip()
    hint = "write it in international E.164 form with country code, e.g. +31501234567"
    if not text.startswith("+"):
        raise refused(Code.NOT_INTERNATIONAL, f"{text!r} is not an international number: {hint}", value=text)
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as error:
        raise refused(
            Code.NOT_A_PHONE_NUMBER, f"{text!r} is not a phone number ({error}): {hint}", value=text
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise refused(
            Code.INVALID_PHONE_NUMBER, f"{text!r} is not a valid phone number: check the digits; {hint}", value=text
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


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

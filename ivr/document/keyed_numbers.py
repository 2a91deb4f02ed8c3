"""A caller's number for a callback request, by the numbering plan (phonenumbers): one read off the call, or one the
caller keyed in, checked as a national or international number of a real range that is not premium-rate."""

import phonenumbers

from ivr.callflow.callback import KeyedNumber, NumberProblem, SpokenNumber
from ivr.document.phones import for_people

# Premium-rate and shared-cost ranges cost the business more than the call (0900 and 0909 in the Netherlands).
NOT_CALLED_BACK = frozenset({phonenumbers.PhoneNumberType.PREMIUM_RATE, phonenumbers.PhoneNumberType.SHARED_COST})
_LENGTH_PROBLEMS = {
    phonenumbers.ValidationResult.TOO_SHORT: NumberProblem.TOO_SHORT,
    phonenumbers.ValidationResult.TOO_LONG: NumberProblem.TOO_LONG,
}


def spoken_number(e164: str, country: str) -> SpokenNumber:
    """The number's groups as the business's staff write it (06 12 34 56 78), so it is read back the same way."""
    return SpokenNumber(e164, tuple(for_people(e164, country).split()))


def keyed_number(digits: str, country: str) -> KeyedNumber:
    """What the caller keyed (without the #), read in the business's `country` ("0612345678", "0032470123456")."""
    if not digits.isdigit():
        return NumberProblem.NOT_A_NUMBER if digits else NumberProblem.TOO_SHORT
    try:
        parsed = phonenumbers.parse(digits, country)
    except phonenumbers.NumberParseException as error:
        too_short = error.error_type in (
            phonenumbers.NumberParseException.TOO_SHORT_NSN,
            phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD,
        )
        if error.error_type == phonenumbers.NumberParseException.TOO_LONG:
            return NumberProblem.TOO_LONG
        return NumberProblem.TOO_SHORT if too_short else NumberProblem.NOT_A_NUMBER
    return _checked(parsed, country)


def _checked(parsed: phonenumbers.PhoneNumber, country: str) -> KeyedNumber:
    length = phonenumbers.is_possible_number_with_reason(parsed)
    if length in _LENGTH_PROBLEMS:
        return _LENGTH_PROBLEMS[length]
    if not phonenumbers.is_valid_number(parsed):
        return _wrong_length(parsed) or NumberProblem.NOT_A_NUMBER
    if phonenumbers.number_type(parsed) in NOT_CALLED_BACK:
        return NumberProblem.PREMIUM
    return spoken_number(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), country)


def _wrong_length(parsed: phonenumbers.PhoneNumber) -> NumberProblem | None:
    """A number of no real range: too short or too long beside a landline number of its country (a caller who
    missed a digit hears that, not just "no number")."""
    region = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE)
    if example is None:
        return None
    keyed, usual = (len(phonenumbers.national_significant_number(found)) for found in (parsed, example))
    if keyed == usual:
        return None
    return NumberProblem.TOO_SHORT if keyed < usual else NumberProblem.TOO_LONG


def caller_number(caller: str, country: str) -> SpokenNumber | None:
    """The number the call came from (E.164), if it can be called back; None when withheld or not a real range (the
    caller keys one in)."""
    try:
        found = _checked(phonenumbers.parse(caller, None), country) if caller else None
    except phonenumbers.NumberParseException:
        return None
    return found if isinstance(found, SpokenNumber) else None

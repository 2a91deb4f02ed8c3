"""The values a business document is made of: numbers read in its country, addresses, lists given as one or many.

Shared by the document's parts (ivr.document.model); each refuses with our own problem codes (ivr.document.codes).
"""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ivr.document.codes import Code, refused
from ivr.document.phones import email, number_in_country

PhoneNumber = Annotated[str, BeforeValidator(str), AfterValidator(number_in_country)]
EmailAddress = Annotated[str, AfterValidator(email)]
# Twilio's <Dial> takes at most 10 <Number> nouns (Twilio docs, <Number>: "up to ten").
MAX_DIALLED_NUMBERS = 10


def one_or_many(value: object) -> object:
    return [value] if isinstance(value, str | int) else value


def at_most_one_dial(numbers: list[str]) -> list[str]:
    if len(numbers) > MAX_DIALLED_NUMBERS:
        raise refused(
            Code.TOO_MANY_DIALLED,
            f"{len(numbers)} numbers: Twilio rings at most {MAX_DIALLED_NUMBERS} phones in one dial; "
            f"list {MAX_DIALLED_NUMBERS} or fewer",
            count=len(numbers),
            most=MAX_DIALLED_NUMBERS,
        )
    return numbers


PhoneNumbers = Annotated[list[PhoneNumber], BeforeValidator(one_or_many), Field(min_length=1)]
# Numbers rung together in one <Dial>.
DialledNumbers = Annotated[PhoneNumbers, AfterValidator(at_most_one_dial)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def listed_once(values: list[str], what: str) -> list[str]:
    twice = sorted({value for value in values if values.count(value) > 1})
    if twice:
        raise refused(
            Code.LISTED_TWICE,
            f"{', '.join(twice)} is listed twice; list each {what} once (each gets one message)",
            value=", ".join(twice),
        )
    return values


EmailAddresses = Annotated[list[EmailAddress], BeforeValidator(one_or_many)]
SmsNumbers = Annotated[list[PhoneNumber], BeforeValidator(one_or_many)]
# A time of day as "HH:MM" on a 24-hour clock, local to the business.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

"""The values a business document is made of: numbers read in its country, addresses, lists given as one or many.

Shared by the document's parts (ivr.document.model); each refuses with our own problem codes (ivr.document.codes).
"""

from typing import Annotated, ClassVar, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

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


class Recipients(Strict):
    """Who hears of something: an e-mail per address, an SMS per number; each listed once, at least one of them."""

    email: EmailAddresses = Field(default_factory=list)
    sms: SmsNumbers = Field(default_factory=list)

    # The refusal of a part that names nobody: what the part is, and who would hear nothing.
    _nobody: ClassVar[str]

    @field_validator("email")
    @classmethod
    def _emails_once(cls, value: list[str]) -> list[str]:
        return listed_once(value, "address")

    @field_validator("sms")
    @classmethod
    def _numbers_once(cls, value: list[str]) -> list[str]:
        return listed_once(value, "number")

    @model_validator(mode="after")
    def _delivered_somewhere(self) -> Self:
        if not self.email and not self.sms:
            raise refused(Code.BOX_WITHOUT_RECIPIENTS, self._nobody)
        return self

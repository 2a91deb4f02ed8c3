"""The business document: the public contract a business writes in YAML (and the admin API edits)."""

from datetime import date
from typing import Annotated, ClassVar, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from ivr.callflow.model import Country
from ivr.callflow.ringing import MAX_RINGS, MIN_RINGS
from ivr.document.calendar import Calendar
from ivr.document.callbacks import BlockedNumbers, CallbackSetting, TextBack, callback_route
from ivr.document.codes import FIELD, Code, refused, refused_each, set_aside
from ivr.document.fixed_texts import FixedTexts
from ivr.document.holidays import holiday_refusals, known_region
from ivr.document.hours import checked_hours
from ivr.document.phones import DEFAULT_COUNTRY, Countries, iso_country
from ivr.document.reports import DailySummary, MissedCalls, MonthlyReport
from ivr.document.retention import Retention
from ivr.document.values import (
    MAX_DIALLED_NUMBERS,
    DialledNumbers,
    PhoneNumber,
    PhoneNumbers,
    Recipients,
    SmsNumbers,
    Strict,
    listed_once,
)

MAX_MENU_OPTIONS = 4
MENU_KEYS = "0123456789*#"
# The zone of a document that names none (readers of stored documents need it too: a default is not stored).
DEFAULT_TIMEZONE = "Europe/Amsterdam"


class Greeting(Strict):
    """A text to speak, or an audio file to play (normalised on apply)."""

    text: str | None = Field(default=None, min_length=1, max_length=1000)
    file: str | None = None
    # Set by Greetline when an uploaded file has been normalised: the stored recording's id.
    media: str | None = Field(default=None, pattern=r"^[0-9a-f]{16,64}$")

    @model_validator(mode="after")
    def _text_or_file(self) -> Self:
        if self.text is None and self.file is None and self.media is None:
            raise refused(Code.TEXT_OR_FILE, "give either text: (to be spoken) or file: (a recording)")
        return self


class VoicemailBox(Recipients):
    """Where a message left in this box goes: an e-mail per address, an SMS per number."""

    _nobody = "a voicemail box needs email: [addresses] and/or sms: [numbers], or nobody hears the messages"

    # Texted only for a message whose transcript holds an urgent word (issue 22; needs a transcriber).
    urgent_sms: SmsNumbers = Field(default_factory=list)

    @field_validator("urgent_sms")
    @classmethod
    def _urgent_numbers_once(cls, value: list[str]) -> list[str]:
        return listed_once(value, "number")


class Route(Strict):
    """Where a call goes: dial numbers, or voicemail e-mailed to the business; at most one of them."""

    dial: DialledNumbers | None = None
    voicemail: VoicemailBox | None = None
    offer_callback: bool = False  # before the beep: "press 1 to be called back instead" (needs callback:)

    # None: the route may be empty (then the call ends after the greeting); else the problem when it is.
    _missing_route: ClassVar[tuple[Code, str] | None] = None
    # Closed and periods: dial: and voicemail: together ring the numbers, then take a message if nobody answers.
    _box_after_dial: ClassVar[bool] = False

    @model_validator(mode="after")
    def _one_route(self) -> Self:
        return self._route_checked()

    def _route_checked(self) -> Self:
        if self.dial is not None and self.voicemail is not None and not self._box_after_dial:
            raise refused(Code.DIAL_AND_VOICEMAIL, "give either dial: or voicemail:, not both")
        if self.dial is None and self.voicemail is None and self._missing_route:
            raise refused(*self._missing_route)
        return self


def _single_key(value: object) -> str:
    key = str(value)
    if len(key) != 1 or key not in MENU_KEYS:
        raise refused(Code.BAD_KEY, f"key must be one of 0-9, * or #, got {key!r}", value=key)
    return key


MenuKey = Annotated[str, BeforeValidator(_single_key)]
# What an answering service hears the caller chose ("gekozen: spoed"): a word or two, the whisper stays short.
MAX_LABEL_CHARS = 30


class MenuOption(Route):
    _missing_route = (Code.OPTION_WITHOUT_ROUTE, "a menu option needs dial: [numbers] or voicemail: {email: [...]}")

    key: MenuKey
    prompt: str = Field(min_length=1, max_length=300)
    emergency: bool = False
    # The choice in a word for the answering service's whisper; without one it hears "urgent" or "key N".
    label: str | None = Field(default=None, min_length=1, max_length=MAX_LABEL_CHARS)
    dial: DialledNumbers | None = None
    voicemail: VoicemailBox | None = None
    callback: bool = False  # a route of its own: the caller asks to be called back (needs callback:)

    @model_validator(mode="after")
    def _one_route(self) -> Self:
        return self if callback_route(self.callback, self.dial, self.voicemail) else self._route_checked()


class Instructions(Strict):
    """What an answering service works from: what to do with callers, and whom to reach when it is urgent."""

    text: str = Field(min_length=1, max_length=2000)
    urgent: str | None = Field(default=None, min_length=1, max_length=300)


class Referral(Strict):
    """Where callers are sent out of hours (the ready-made out_of_hours message says it): the number to call, and
    what it is when the business wants that said ("de huisartsenpost Groningen"); without a name only the number."""

    number: PhoneNumber
    name: str | None = Field(default=None, min_length=1, max_length=60)


class CallNotes(VoicemailBox):
    """Where the answering service's call notes go: e-mail always, SMS only for a note marked urgent."""

    @model_validator(mode="after")
    def _delivered_somewhere(self) -> Self:
        if not self.email and not self.sms:
            raise refused(
                Code.NOTES_WITHOUT_RECIPIENTS,
                "notes: needs email: [addresses] and/or sms: [numbers], or nobody reads the call notes",
            )
        return self


class Overflow(Route):
    _missing_route = (
        Code.OVERFLOW_WITHOUT_ROUTE,
        "overflow needs dial: NUMBER (an answering service) or voicemail: {email: [...]}",
    )

    notes: CallNotes | None = None

    @model_validator(mode="after")
    def _notes_from_a_service(self) -> Self:
        if self.notes is not None and self.dial is None:
            raise refused(
                Code.NOTES_WITHOUT_SERVICE,
                "notes: are the call notes of an answering service; give overflow a dial: NUMBER, or drop notes:",
            )
        return self


class Emergency(Strict):
    """After hours: a key that puts the caller through to someone on call (a voicemail box of its part, if
    there is one, takes the call when nobody answers)."""

    prompt: str = Field(min_length=1, max_length=300)
    dial: DialledNumbers
    key: MenuKey = "1"


class Closed(Route):
    _box_after_dial = True

    greeting: Greeting | None = None
    emergency: Emergency | None = None
    # What callers hear on a public holiday that closes the business (default: the language's holiday text).
    holiday: Greeting | None = None
    dial: DialledNumbers | None = None
    voicemail: VoicemailBox | None = None


class Period(Route):
    _box_after_dial = True

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    greeting: Greeting | None = None
    emergency: Emergency | None = None
    dial: DialledNumbers | None = None
    voicemail: VoicemailBox | None = None
    # While the period runs these replace the standing instructions on the answering service's card.
    instructions: Instructions | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise refused(
                Code.PERIOD_BACKWARDS,
                f"period ends ({self.end}) before it starts ({self.start}); swap from: and to:",
                start=self.start.isoformat(),
                end=self.end.isoformat(),
            )
        return self


class BusinessDocument(Strict):
    business: str = Field(min_length=1, max_length=100)
    numbers: PhoneNumbers
    language: Literal["nl", "en", "de", "fr"] = "nl"
    country: Countries = DEFAULT_COUNTRY
    # The part of the country whose own public holidays count too (DE: NW, BY; GB: SCT), as the holidays package
    # knows them (ivr.callflow.public_holidays).
    region: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    greeting: Greeting | None = None
    info: Greeting | None = None
    menu: list[MenuOption] = Field(default_factory=list)
    operators: PhoneNumbers
    ring: Literal["simultaneous", "sequential"] = "simultaneous"
    # Each staff phone first hears who the call is for and takes it with 1; a mobile's own voicemail cannot.
    confirm: bool = False
    rings: int = 4
    overflow: Overflow | None = None
    hours: dict[str, str | list[str]] | None = None
    holidays: bool | list[Annotated[str, BeforeValidator(str)]] = True
    closed: Closed | None = None
    periods: list[Period] = Field(default_factory=list)
    missed_calls: MissedCalls | None = None
    daily_summary: DailySummary | None = None
    monthly_report: MonthlyReport | None = None
    # The standing instructions for the answering service (its card shows them, or a running period's).
    instructions: Instructions | None = None
    # The out-of-hours number callers are told to call themselves (ready-made messages; never dialled by us).
    referral: Referral | None = None
    # The business's own voicemail prompt, goodbye and "nobody available"; unset: the language's.
    texts: FixedTexts | None = None
    # Words that flag a voicemail urgent when its transcript holds them (issue 22); unset: the language's defaults
    # (ivr.messages.urgency), an empty list: none.
    urgent_words: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] | None = None
    # Where callback requests go (checked against the menu and boxes before it), the text back, who reaches nobody.
    callback: CallbackSetting = None
    text_back: TextBack | None = None
    blocked: BlockedNumbers = Field(default_factory=list)
    # How long calls, messages and their words are kept (ivr.document.retention; issue 24).
    retention: Retention = Retention()
    # The owner's calendar (issue 26): who is away, on the answering service's card, and calls while away.
    calendar: Calendar | None = None

    @field_validator("country", mode="before")
    @classmethod
    def _uk_is_gb(cls, value: object) -> object:
        return iso_country(value)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise refused(
                Code.UNKNOWN_TIMEZONE,
                f"unknown time zone {value!r}; use an IANA name such as Europe/Amsterdam",
                value=value,
            ) from None
        return value

    @field_validator("rings")
    @classmethod
    def _ring_count(cls, value: int) -> int:
        if not MIN_RINGS <= value <= MAX_RINGS:
            raise refused(
                Code.RING_COUNT,
                f"ring count must be from {MIN_RINGS} to {MAX_RINGS}, got {value}",
                value=value,
                least=MIN_RINGS,
                most=MAX_RINGS,
            )
        return value

    @field_validator("menu")
    @classmethod
    def _one_short_menu(cls, value: list[MenuOption], info: ValidationInfo) -> list[MenuOption]:
        count = len(value) + set_aside(info.context, "menu")
        if count > MAX_MENU_OPTIONS:
            raise refused(
                Code.MENU_TOO_LONG,
                f"a menu has at most {MAX_MENU_OPTIONS} options, got {count}; merge or drop some",
                count=count,
                most=MAX_MENU_OPTIONS,
            )
        keys = [option.key for option in value]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise refused(
                Code.KEY_TWICE,
                f"key {', '.join(duplicates)} is used twice; give each option its own key",
                value=", ".join(duplicates),
            )
        return value

    @field_validator("hours", mode="wrap")
    @classmethod
    def _readable_hours(cls, value: object, handler: ValidatorFunctionWrapHandler) -> dict[str, str | list[str]] | None:
        return checked_hours(value, handler)

    @model_validator(mode="after")
    def _simultaneous_at_most_ten(self, info: ValidationInfo) -> Self:
        count = len(self.operators) + set_aside(info.context, "operators")
        if self.ring == "simultaneous" and count > MAX_DIALLED_NUMBERS:
            raise refused(
                Code.TOO_MANY_AT_ONCE,
                f"{count} phones ring at once, but Twilio rings at most "
                f"{MAX_DIALLED_NUMBERS} in one dial; list {MAX_DIALLED_NUMBERS} or fewer, or use ring: sequential",
                count=count,
                most=MAX_DIALLED_NUMBERS,
                **{FIELD: "operators"},  # reported at operators: (see ivr.document.load)
            )
        return self

    @model_validator(mode="after")
    def _known_holidays(self) -> Self:
        country = Country(self.country)
        region = known_region(country, self.region)
        found = (
            holiday_refusals(self.holidays, country, region, self.language, date.today())
            if isinstance(self.holidays, list)
            else []
        )
        if found:
            raise refused_each([(("holidays", *place), error) for place, error in found])
        return self

    @model_validator(mode="after")
    def _away_to_a_service(self) -> Self:
        to_service = self.calendar is not None and self.calendar.when_away == "service"
        if to_service and (self.overflow is None or self.overflow.dial is None):
            raise refused(
                Code.AWAY_WITHOUT_SERVICE,
                "when_away: service sends calls to the answering service: give overflow a dial: NUMBER, "
                "or use when_away: ring",
                **{FIELD: "calendar"},
            )
        return self

    @field_validator("numbers")
    @classmethod
    def _distinct_numbers(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise refused(Code.NUMBER_TWICE, "a number is listed twice; list each number once")
        return value

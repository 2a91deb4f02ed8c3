"""What the call flow knows about a business: plain frozen data, built by the document adapter."""

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

# An away spell of the owner's calendar, (start, end) in UTC: all the calendar hands the call flow (Business.away),
# made from the feed's away events by ivr.calendar.away.away_spells.
AwaySpell = tuple[datetime, datetime]


class Language(StrEnum):
    NL = "nl"
    EN = "en"
    DE = "de"
    FR = "fr"


class Country(StrEnum):
    NL = "NL"
    BE = "BE"
    DE = "DE"
    FR = "FR"
    GB = "GB"
    US = "US"


class RingMode(StrEnum):
    SIMULTANEOUS = "simultaneous"
    SEQUENTIAL = "sequential"


@dataclass(frozen=True)
class Prompt:
    """A text the caller hears; `media_id` names its rendered recording once there is one."""

    text: str
    media_id: str | None = None


@dataclass(frozen=True)
class DialNumbers:
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class Voicemail:
    """A voicemail box; `box` names it in the recording's webhooks so the message reaches its recipients."""

    emails: tuple[str, ...]
    sms: tuple[str, ...] = ()
    box: str = "overflow"
    # Texted only for an urgent message (its transcript holds an urgent word).
    urgent_sms: tuple[str, ...] = ()
    # Before the beep the caller may press 1 to be called back instead (offer_callback: true beside the box).
    offer_callback: bool = False


@dataclass(frozen=True)
class Callback:
    """A menu option that takes a callback request (callback: true) instead of a dial or a message."""


Destination = DialNumbers | Voicemail | Callback


@dataclass(frozen=True)
class MenuOption:
    key: str
    prompt: Prompt
    destination: Destination
    emergency: bool = False


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time

    def contains(self, moment: time) -> bool:
        # time.max stands for midnight at the end of the day: the range includes the day's last instant.
        return self.start <= moment and (moment < self.end or self.end == time.max)


@dataclass(frozen=True)
class OpeningHours:
    """Ranges per weekday, Monday = 0. A weekday without ranges is closed all day."""

    by_weekday: tuple[tuple[TimeRange, ...], ...]


@dataclass(frozen=True)
class HolidayClosures:
    """The days a business closes for a holiday: every public holiday of its country (and region), those it
    names, or dates."""

    all_public: bool = False
    # Public holiday names as the business wrote them (in its language, English or the country's), lower-cased.
    names: frozenset[str] = frozenset()
    # (month, day): closed on that date every year.
    yearly: frozenset[tuple[int, int]] = frozenset()
    once: frozenset[date] = frozenset()
    # The holidays package's code of the country's region whose public holidays count too (DE: "NW"); None: the
    # country's own.
    region: str | None = None

    @property
    def closes_some_day(self) -> bool:
        return self.all_public or bool(self.names or self.yearly or self.once)


@dataclass(frozen=True)
class Emergency:
    """When closed: a key that puts the caller through to someone on call."""

    key: str
    prompt: Prompt
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class ClosedInstructions:
    greeting: Prompt
    destination: Destination | None
    # The message box of this part: where a dial here (or to the emergency number) goes when nobody answers.
    box: Voicemail | None = None
    emergency: Emergency | None = None


@dataclass(frozen=True)
class Period:
    """Temporary instructions for a run of days, both ends included (local dates)."""

    first_day: date
    last_day: date
    greeting: Prompt
    destination: Destination | None
    box: Voicemail | None = None
    emergency: Emergency | None = None


@dataclass(frozen=True)
class Texts:
    """The fixed sentences of the flow, already in the business's language with its name filled in."""

    menu_retry: Prompt
    voicemail: Prompt
    whisper: Prompt
    unavailable: Prompt
    goodbye: Prompt
    holiday: Prompt
    confirm: Prompt
    # What a caller on the business's blocked list hears before the call ends.
    blocked: Prompt


@dataclass(frozen=True)
class CallbackTexts:
    """What a caller asking to be called back hears; `{number}` in a text stands for the number read back."""

    offer: Prompt
    your_number: Prompt
    key_in: Prompt
    confirmed: Prompt
    too_short: Prompt
    too_long: Prompt
    premium: Prompt
    not_a_number: Prompt
    # The words for the digits 0 to 9 in the business's language: a number is read back digit by digit.
    digits: tuple[str, ...]


@dataclass(frozen=True)
class Business:
    id: int
    name: str
    language: Language
    country: Country
    timezone: str
    greeting: Prompt
    info: Prompt | None
    menu: tuple[MenuOption, ...]
    operators: tuple[str, ...]
    ring_mode: RingMode
    rings: int
    overflow: Destination | None
    hours: OpeningHours | None
    holidays: HolidayClosures
    closed: ClosedInstructions
    periods: tuple[Period, ...]
    texts: Texts
    # Who gets a note about a call that reached nobody and left no message (none: no notes).
    missed_call_emails: tuple[str, ...] = ()
    # Each staff phone first hears whom the call is for and takes it with 1 (a mobile's voicemail cannot).
    confirm: bool = False
    # The answering service's numbers (the overflow's dial): every dial to them carries a whisper.
    service: tuple[str, ...] = ()
    # What the service hears by how the caller came (ivr.callflow.whisper.CallerRoute.label); else texts.whisper.
    whispers: tuple[tuple[str, Prompt], ...] = ()
    # Set when the business takes callback requests (callback: in its document); None: nobody is offered one.
    callback: CallbackTexts | None = None
    # Callers (E.164) who hear the blocked text and reach nobody.
    blocked: frozenset[str] = frozenset()
    # A missed mobile caller is texted back this long after the call (text_back:); None: no texts back.
    text_back_after_s: int | None = None
    # calendar: {when_away: service}: while the owner's calendar says away, calls go straight to the answering
    # service. `away`: the away spells (start, end) of the last good copy of the feed, filled in by the directory.
    away_to_service: bool = False
    away: tuple[AwaySpell, ...] = ()


def voicemail_boxes(business: Business) -> dict[str, Voicemail]:
    """Every voicemail box of the business by its name (overflow, closed, menu:KEY, period:DAY)."""
    destinations = [business.overflow, business.closed.destination, business.closed.box]
    destinations += [option.destination for option in business.menu]
    destinations += [found for period in business.periods for found in (period.destination, period.box)]
    return {found.box: found for found in destinations if isinstance(found, Voicemail)}

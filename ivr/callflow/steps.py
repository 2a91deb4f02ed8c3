"""Call steps: what the caller hears and where the call goes, as data. `ivr.twiml` renders them."""

from dataclasses import dataclass, field
from enum import StrEnum

from ivr.callflow.model import Country, Language


class Hook(StrEnum):
    """The webhooks a step can point the call at; the renderer turns them into URLs."""

    VOICE = "voice"
    MENU = "menu"
    # When closed: the caller's key during the message (the emergency option).
    EMERGENCY = "emergency"
    DIAL_ENDED = "dial-ended"
    WHISPER = "whisper"
    CONFIRM = "confirm"
    CONFIRMED = "confirmed"
    RECORDED = "recorded"
    RECORDING = "recording"
    # A callback request: its start (or the key pressed at the offer before a voicemail's beep), the number keyed.
    CALLBACK = "callback"
    CALLBACK_NUMBER = "callback-number"


@dataclass(frozen=True)
class Webhook:
    hook: Hook
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Say:
    text: str
    language: Language


@dataclass(frozen=True)
class Play:
    media_id: str
    # The words of the recording, for people reading a path or a transcript; Twilio only gets the media.
    text: str = field(default="", compare=False)


Speech = Say | Play


@dataclass(frozen=True)
class Gather:
    """Collect one key; prompts play inside it so a key pressed during them acts at once."""

    prompts: tuple[Speech, ...]
    action: Webhook
    timeout_s: int
    num_digits: int | None = 1
    # Set to "#" to collect a whole number ended with the hash key (then num_digits is None).
    finish_on_key: str = ""


@dataclass(frozen=True)
class Dial:
    numbers: tuple[str, ...]
    timeout_s: int
    country: Country
    action: Webhook | None
    # What each answering phone hears before the caller is put through (Twilio <Number url>).
    whisper: Webhook | None = None


@dataclass(frozen=True)
class Record:
    action: Webhook
    status_callback: Webhook
    max_length_s: int
    finish_on_key: str = "#"
    # The voicemail box the message is for (overflow, closed, menu:KEY, period:DAY); the webhooks name it too.
    box: str = ""


@dataclass(frozen=True)
class Hangup:
    pass


@dataclass(frozen=True)
class Redirect:
    """Continue the call at another webhook (a menu option that takes a callback request)."""

    to: Webhook


Step = Say | Play | Gather | Dial | Record | Hangup | Redirect


class Outcome(StrEnum):
    OPERATOR = "operator"
    OVERFLOW = "overflow"
    VOICEMAIL = "voicemail"
    CLOSED = "closed"
    MISSED = "missed"
    HUNG_UP = "hung up"
    UNKNOWN_NUMBER = "unknown number"
    FALLBACK = "fallback"
    # The caller asked to be called back and confirmed a number.
    CALLBACK = "callback"
    # The caller's number is on the business's blocked list.
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Decision:
    """The steps to answer with, the label this adds to the call's path, and the outcome if now known."""

    steps: tuple[Step, ...]
    path: str
    outcome: Outcome | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def dials(self) -> bool:
        return any(isinstance(step, Dial) for step in self.steps)

    @property
    def box(self) -> str | None:
        """The voicemail box this decision begins a message in, if it does."""
        return next((step.box for step in self.steps if isinstance(step, Record)), None)

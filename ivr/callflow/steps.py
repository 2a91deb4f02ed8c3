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
    num_digits: int = 1


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


Step = Say | Play | Gather | Dial | Record | Hangup


class Outcome(StrEnum):
    OPERATOR = "operator"
    OVERFLOW = "overflow"
    VOICEMAIL = "voicemail"
    CLOSED = "closed"
    MISSED = "missed"
    HUNG_UP = "hung up"
    UNKNOWN_NUMBER = "unknown number"
    FALLBACK = "fallback"


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

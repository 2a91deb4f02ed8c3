"""The transcriber seam: a recording's audio in, its words with their language and a confidence out."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:  # numpy only for the type: the served process imports this module and must not load numpy
    from audio.transcribe.samples import Samples

# The languages a business speaks and a caller is transcribed in (prompts/: nl, en, de, fr).
LANGUAGES = ("nl", "de", "fr", "en")
# A voicemail longer than this is transcribed up to here and says so (a one-hour recording of a forgotten phone
# would keep the worker busy for twenty minutes with the `base` model at a real-time factor of 0.33).
MAX_TRANSCRIBED_S = 300.0
# The model a remote OpenAI-compatible server is asked for unless GREETLINE_TRANSCRIBE_MODEL names another
# (OpenAI's name for its hosted Whisper; a self-hosted server is told its own model's name that way).
DEFAULT_REMOTE_MODEL = "whisper-1"


@dataclass(frozen=True)
class Transcript:
    text: str
    # ISO 639-1, one of LANGUAGES.
    language: str
    # 0..1: the engine's own confidence in the words (exp of the mean token log-probability); None if not told.
    confidence: float | None
    # The words cover only the first MAX_TRANSCRIBED_S of a longer recording.
    cut_short: bool = False


@dataclass(frozen=True)
class NoSpeech:
    """A recording with no one speaking in it (audio.transcribe.voice): not a message, and no words invented."""

    duration_s: float
    speech_s: float


# What listening to a recording found.
Heard = Transcript | NoSpeech


@dataclass(frozen=True)
class EngineSpec:
    """An engine as plain data, so a child process can be started with it (audio.transcribe.listen.make_engine)."""

    kind: Literal["local", "remote"]
    # local: a model name or directory; remote: the model name the server knows.
    model: str
    url: str | None = None
    api_key: str | None = None
    timeout_s: float = 60.0
    cpu_threads: int = 0


class TranscriberError(Exception):
    """The engine could not transcribe now (down, slow, refused the audio): the job retries, the message goes on."""


class Transcriber(Protocol):
    def transcribe(self, samples: "Samples", languages: tuple[str, ...], cut_short: bool) -> Transcript:
        """`samples`: the recording (at most MAX_TRANSCRIBED_S of it, `cut_short` if there was more); `languages`:
        those to choose from, the business's first. Raises TranscriberError."""
        ...


class UndecodableRecording(TranscriberError):
    """The recording itself is broken: trying again will not help."""


def pick_language(probabilities: dict[str, float], languages: tuple[str, ...]) -> str:
    """The language among `languages` the caller most likely spoke; the first (the business's) when it is at
    least half as likely as the best, since a short or noisy recording is judged unsteadily and a caller of a
    Dutch business most often speaks Dutch."""
    first = languages[0]
    best = max(languages, key=lambda language: probabilities.get(language, 0.0))
    if probabilities.get(first, 0.0) >= BUSINESS_LANGUAGE_SHARE * probabilities.get(best, 0.0):
        return first
    return best


# How much less likely than the best the business's language may be and still be chosen (see pick_language).
BUSINESS_LANGUAGE_SHARE = 0.5

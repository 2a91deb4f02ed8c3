"""Text to speech: gTTS first, espeak-ng offline, cached by engine, voice, language and text.

`GttsEngine` is loaded on first use (it brings requests and gTTS, about 7 MB a server answering calls never needs).
"""

from typing import TYPE_CHECKING, Any

from audio.tts.cache import SpeechCache, SpeechKey
from audio.tts.engines import SpeechEngine, build_engines
from audio.tts.errors import NoSpeechEngineWorked, SpeechError
from audio.tts.espeak_engine import EspeakEngine
from audio.tts.fallback import Speech, synthesize_with_fallback
from audio.tts.languages import SUPPORTED_LANGUAGES

if TYPE_CHECKING:
    from audio.tts.gtts_engine import GttsEngine


def __getattr__(name: str) -> Any:
    if name == "GttsEngine":
        from audio.tts.gtts_engine import GttsEngine

        return GttsEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SUPPORTED_LANGUAGES",
    "EspeakEngine",
    "GttsEngine",
    "NoSpeechEngineWorked",
    "Speech",
    "SpeechCache",
    "SpeechEngine",
    "SpeechError",
    "SpeechKey",
    "build_engines",
    "synthesize_with_fallback",
]

"""Text to speech: gTTS first, espeak-ng offline, cached by engine, voice, language and text."""

from audio.tts.cache import SpeechCache, SpeechKey
from audio.tts.engines import SpeechEngine, build_engines
from audio.tts.errors import NoSpeechEngineWorked, SpeechError
from audio.tts.espeak_engine import EspeakEngine
from audio.tts.fallback import Speech, synthesize_with_fallback
from audio.tts.gtts_engine import GttsEngine
from audio.tts.languages import SUPPORTED_LANGUAGES

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

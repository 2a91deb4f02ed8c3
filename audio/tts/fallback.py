"""Speak a text with the first engine that works, from the cache whenever it was rendered before."""

from collections.abc import Sequence
from dataclasses import dataclass

from audio.tts.audio_check import speech_duration_s
from audio.tts.cache import SpeechCache, SpeechKey
from audio.tts.engines import SpeechEngine
from audio.tts.errors import EngineFailure, NoSpeechEngineWorked, SpeechError
from audio.tts.languages import require_supported
from audio.tts.reach import Reach


@dataclass(frozen=True)
class Speech:
    audio: bytes
    engine: str
    voice: str
    from_cache: bool
    # Each engine that was tried before this one and failed, saying why: the business is told.
    failures: tuple[EngineFailure, ...]


def synthesize_with_fallback(
    text: str, language: str, engines: Sequence[SpeechEngine], cache: SpeechCache, reach: Reach | None = None
) -> Speech:
    """Engines are tried in the configured order, so a preferred engine that recovers is used again
    (and cached) even when a later engine's rendering of the same text is already on disk. With `reach`, an
    engine found out of reach lately is skipped, and one found so now is remembered (audio.tts.reach)."""
    require_supported(language)
    if reach is not None:
        engines = reach.usable(engines)
    if not text.strip():
        raise SpeechError("there is no text to speak; type the greeting first")
    if not engines:
        raise SpeechError("no speech engines are configured")
    failures: list[EngineFailure] = []
    for engine in engines:
        try:
            key = SpeechKey(engine=engine.name, voice=engine.voice(language), language=language, text=text)
            cached = cache.get(key)
            if cached is not None:
                return Speech(cached, engine.name, key.voice, from_cache=True, failures=tuple(failures))
            audio = engine.synthesize(text, language)
            speech_duration_s(audio)
        except SpeechError as error:
            failures.append(EngineFailure(engine.name, error.code, str(error)))
            if reach is not None:
                reach.heard(failures[-1:])
            continue
        cache.put(key, audio)
        return Speech(audio, engine.name, key.voice, from_cache=False, failures=tuple(failures))
    raise NoSpeechEngineWorked(language, tuple(failures))

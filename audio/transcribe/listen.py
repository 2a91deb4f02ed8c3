"""Listening to one recording: decode it, check that someone speaks in it, and only then ask the engine for words.
The engines are made here from an EngineSpec, the plain data a child process can be started with."""

from audio.errors import RefusedAudio
from audio.transcribe.model import (
    MAX_TRANSCRIBED_S,
    EngineSpec,
    Heard,
    NoSpeech,
    Transcriber,
    UndecodableRecording,
)
from audio.transcribe.samples import RATE_HZ
from audio.transcribe.voice import decode_16k, measure_voice


def make_engine(spec: EngineSpec) -> Transcriber:
    if spec.kind == "remote" and spec.url:
        from audio.transcribe.remote import RemoteWhisper

        return RemoteWhisper(spec.url, spec.api_key, spec.model, spec.timeout_s)
    from audio.transcribe.local import LocalWhisper

    return LocalWhisper(spec.model, spec.cpu_threads)


def listen(engine: Transcriber, audio: bytes, languages: tuple[str, ...]) -> Heard:
    try:
        samples = decode_16k(audio, MAX_TRANSCRIBED_S + 1)
    except RefusedAudio as error:
        raise UndecodableRecording(str(error)) from error
    if len(samples) == 0:  # not silence: nothing could be read, so a person must listen
        raise UndecodableRecording("the voicemail recording holds no audio ffmpeg can read")
    voice = measure_voice(samples)
    if not voice.has_speech:
        return NoSpeech(voice.duration_s, voice.speech_s)
    limit = int(MAX_TRANSCRIBED_S * RATE_HZ)
    return engine.transcribe(samples[:limit], languages, cut_short=len(samples) > limit)


class InProcess:
    """The engine in this process (`greetline worker`, the remote engine, tests)."""

    def __init__(self, engine: Transcriber) -> None:
        self._engine = engine

    def heard(self, audio: bytes, languages: tuple[str, ...]) -> Heard:
        return listen(self._engine, audio, languages)

    def close(self) -> None:
        pass

"""Rendered speech in the object store, addressed by what produced it, so the same text is never synthesised twice
(on any machine: replicas sharing a bucket share the cache)."""

import hashlib
import json
from dataclasses import dataclass

from audio.objects import ObjectStore

# What the engines hand back (gTTS MP3, espeak-ng WAV) is sniffed when decoded; stored as opaque bytes.
SPEECH_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class SpeechKey:
    engine: str
    voice: str
    language: str
    text: str

    def digest(self) -> str:
        # JSON keeps the fields apart: ("a b", "c") and ("a", "b c") must not collide.
        fields = json.dumps([self.engine, self.voice, self.language, self.text], ensure_ascii=False)
        return hashlib.sha256(fields.encode("utf-8")).hexdigest()


class SpeechCache:
    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects

    def object_key(self, key: SpeechKey) -> str:
        digest = key.digest()
        # Two-character fan-out keeps directories small once thousands of prompts are rendered.
        return f"{digest[:2]}/{digest}"

    def get(self, key: SpeechKey) -> bytes | None:
        return self.objects.get(self.object_key(key))

    def put(self, key: SpeechKey, audio: bytes) -> None:
        self.objects.put(self.object_key(key), audio, SPEECH_CONTENT_TYPE)

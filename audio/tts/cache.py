"""Rendered speech on disk, addressed by what produced it, so the same text is never synthesised twice."""

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


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
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, key: SpeechKey) -> Path:
        digest = key.digest()
        # Two-character fan-out keeps directories small once thousands of prompts are rendered.
        return self.root / digest[:2] / digest

    def get(self, key: SpeechKey) -> bytes | None:
        try:
            return self.path_for(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: SpeechKey, audio: bytes) -> Path:
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename: a reader never sees half a file, even if we crash mid-write.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(audio)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

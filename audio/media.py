"""The media store: normalised greetings under the hash of their content, written atomically.

The id changes whenever the audio does, so the URL Twilio fetches changes too and its media cache can never
play a stale greeting.
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from audio.errors import AudioError
from audio.wav import wav_duration_s

if TYPE_CHECKING:  # the store itself needs no numpy: the web server imports it at start
    from audio.normalize import NormalizedGreeting

MEDIA_ID = re.compile(r"^[0-9a-f]{64}$")


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, media_id: str, suffix: str) -> Path:
        if not MEDIA_ID.match(media_id):
            raise AudioError(f"{media_id!r} is not a media id (64 hexadecimal characters)")
        return self.root / f"{media_id}{suffix}"

    def wav_path(self, media_id: str) -> Path:
        return self._path(media_id, ".wav")

    def preview_path(self, media_id: str) -> Path:
        return self._path(media_id, ".mp3")

    def exists(self, media_id: str) -> bool:
        return bool(MEDIA_ID.match(media_id)) and self.wav_path(media_id).is_file()

    def save(self, greeting: "NormalizedGreeting") -> str:
        media_id = hashlib.sha256(greeting.wav).hexdigest()
        self.root.mkdir(parents=True, exist_ok=True)
        # The preview first: a WAV present means its preview is too.
        _write_atomically(self.preview_path(media_id), greeting.preview_mp3)
        _write_atomically(self.wav_path(media_id), greeting.wav)
        return media_id

    def duration_s(self, media_id: str) -> float:
        duration = wav_duration_s(self.wav_path(media_id).read_bytes())
        if duration is None:
            raise AudioError(f"media {media_id} is not a readable WAV file")
        return duration


def _write_atomically(path: Path, content: bytes) -> None:
    if path.exists():  # content-addressed: same name, same bytes
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

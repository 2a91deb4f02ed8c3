"""The media store: normalised greetings under the hash of their content, in the object store.

The id changes whenever the audio does, so the URL Twilio fetches changes too and its media cache can never
play a stale greeting. Content-addressed objects never change, so once seen present an id is remembered as
present (no second request to a remote bucket for it).
"""

import hashlib
import logging
import re
import threading
from typing import TYPE_CHECKING, Literal

from audio.errors import AudioCode, AudioError
from audio.objects import Blob, ObjectStore, StoreError
from audio.wav import wav_duration_s

if TYPE_CHECKING:  # the store itself needs no numpy: the web server imports it at start
    from audio.normalize import NormalizedGreeting

log = logging.getLogger("greetline.media")

MEDIA_ID = re.compile(r"^[0-9a-f]{64}$")
Extension = Literal["wav", "mp3"]
CONTENT_TYPES: dict[str, str] = {"wav": "audio/wav", "mp3": "audio/mpeg"}


class MediaStore:
    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects
        self._present: set[str] = set()
        self._guard = threading.Lock()

    def object_key(self, media_id: str, extension: Extension) -> str:
        if not MEDIA_ID.match(media_id):
            raise AudioError(f"{media_id!r} is not a media id (64 hexadecimal characters)", AudioCode.NOT_A_MEDIA_ID)
        return f"{media_id}.{extension}"

    def exists(self, media_id: str) -> bool:
        if not MEDIA_ID.match(media_id):
            return False
        if media_id in self._present:
            return True
        try:
            found = self.objects.exists(self.object_key(media_id, "wav"))
        except StoreError as error:  # the store is away: the caller hears <Say> rather than a failed <Play>
            log.warning("media store unreachable, %s taken as missing: %r", media_id, error)
            return False
        if found:
            with self._guard:
                self._present.add(media_id)
        return found

    def save(self, greeting: "NormalizedGreeting") -> str:
        media_id = hashlib.sha256(greeting.wav).hexdigest()
        if self.exists(media_id):  # content-addressed: same name, same bytes
            return media_id
        # The preview first: a WAV present means its preview is too.
        self.objects.put(self.object_key(media_id, "mp3"), greeting.preview_mp3, CONTENT_TYPES["mp3"])
        self.objects.put(self.object_key(media_id, "wav"), greeting.wav, CONTENT_TYPES["wav"])
        with self._guard:
            self._present.add(media_id)
        return media_id

    def read(self, media_id: str, extension: Extension = "wav") -> bytes | None:
        return self.objects.get(self.object_key(media_id, extension))

    def stream(self, media_id: str, extension: Extension) -> Blob | None:
        return self.objects.stream(self.object_key(media_id, extension))

    def duration_s(self, media_id: str) -> float:
        wav = self.read(media_id)
        duration = wav_duration_s(wav) if wav is not None else None
        if duration is None:
            raise AudioError(f"media {media_id} is not a readable WAV file", AudioCode.MEDIA_UNREADABLE)
        return duration

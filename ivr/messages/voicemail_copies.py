"""Our private copy of each voicemail recording: never under the public media directory."""

from audio.objects import Blob, ObjectStore
from ivr.jobs.model import JobFailure
from ivr.messages.failures import DeliveryCode

# An MP3 starts with an ID3 tag or an MPEG audio frame's 11 sync bits (ISO/IEC 11172-3, 2.4.1.3).
ID3_TAG = b"ID3"
# Less than this is not a recording of anyone speaking, whatever the server said.
MIN_MP3_BYTES = 128
MP3_CONTENT_TYPE = "audio/mpeg"


class BadRecording(JobFailure, ValueError):
    def __init__(self, message: str, **values: str | int | float) -> None:
        super().__init__(message, DeliveryCode.NOT_AN_MP3, **values)


def check_mp3(data: bytes) -> None:
    if len(data) < MIN_MP3_BYTES:
        raise BadRecording(f"the recording is {len(data)} bytes; too short to be an MP3", bytes=len(data))
    if not (data.startswith(ID3_TAG) or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)):
        raise BadRecording("the recording is not an MP3 (no ID3 tag or MPEG frame at its start)")


class VoicemailAudio:
    """In its own private directory or bucket prefix: never one the public /media route reads from."""

    def __init__(self, objects: ObjectStore) -> None:
        self._objects = objects

    def name(self, recording_sid: str) -> str:
        return f"{recording_sid}.mp3"

    def stream(self, recording_sid: str) -> Blob | None:
        """Our copy, if it is stored (the name is checked as a RecordingSid by the caller)."""
        return self._objects.stream(self.name(recording_sid))

    def read(self, recording_sid: str) -> bytes | None:
        return self._objects.get(self.name(recording_sid))

    def keep(self, recording_sid: str, data: bytes) -> str:
        """Check and store the audio (whole or not at all); returns its name."""
        check_mp3(data)
        name = self.name(recording_sid)
        self._objects.put(name, data, MP3_CONTENT_TYPE)
        return name

    def forget(self, recording_sid: str) -> None:
        """Deletes our copy (a missing one is fine: it was never fetched, or already deleted)."""
        self._objects.delete(self.name(recording_sid))

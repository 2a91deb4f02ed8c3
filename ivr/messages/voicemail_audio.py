"""Our private copy of each voicemail recording: never under the public media directory."""

import os
from pathlib import Path

from ivr.settings import Settings

# An MP3 starts with an ID3 tag or an MPEG audio frame's 11 sync bits (ISO/IEC 11172-3, 2.4.1.3).
ID3_TAG = b"ID3"
# Less than this is not a recording of anyone speaking, whatever the server said.
MIN_MP3_BYTES = 128


class BadRecording(ValueError):
    pass


def check_mp3(data: bytes) -> None:
    if len(data) < MIN_MP3_BYTES:
        raise BadRecording(f"the recording is {len(data)} bytes; too short to be an MP3")
    if not (data.startswith(ID3_TAG) or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)):
        raise BadRecording("the recording is not an MP3 (no ID3 tag or MPEG frame at its start)")


class VoicemailAudio:
    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def name(self, recording_sid: str) -> str:
        return f"{recording_sid}.mp3"

    def path(self, recording_sid: str) -> Path | None:
        """Where our copy is, if it is stored (the name is checked as a RecordingSid by the caller)."""
        found = self._directory / self.name(recording_sid)
        return found if found.is_file() else None

    def read(self, recording_sid: str) -> bytes | None:
        try:
            return (self._directory / self.name(recording_sid)).read_bytes()
        except FileNotFoundError:
            return None

    def keep(self, recording_sid: str, data: bytes) -> str:
        """Check and store the audio (whole or not at all); returns its name."""
        check_mp3(data)
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = self._directory / self.name(recording_sid)
        partial = target.with_suffix(".partial")
        partial.write_bytes(data)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
        return target.name


def voicemail_audio(settings: Settings) -> VoicemailAudio:
    """The one place the store of voicemail audio is made from Settings (the worker's and the web app's)."""
    return VoicemailAudio(Path(settings.voicemail_dir))

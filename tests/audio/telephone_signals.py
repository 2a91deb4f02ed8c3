"""What a voicemail box records, made by the real espeak-ng and ffmpeg as Twilio sends it (8 kHz mono MP3):
a caller speaking, and the recordings that are not messages (issue 22)."""

import subprocess
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory

TIMEOUT_S = 60
LENGTH_S = 20
_MP3 = ["-ac", "1", "-ar", "8000", "-b:a", "32k", "-f", "mp3", "pipe:1"]


def _ffmpeg(*arguments: str) -> bytes:
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", *arguments]
    return subprocess.run(command, capture_output=True, check=True, timeout=TIMEOUT_S).stdout


@cache
def spoken_mp3(text: str, voice: str = "en") -> bytes:
    with TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True, timeout=TIMEOUT_S)
        return _ffmpeg("-i", str(wav), *_MP3)


@cache
def busy_tone_mp3() -> bytes:
    """425 Hz, 0.5 s on and 0.5 s off (ITU-T E.180 Supplement 2: the busy tone of NL, DE, FR and most of Europe)."""
    on_off = "volume='if(lt(mod(t,1),0.5),1,0)':eval=frame"
    return _ffmpeg("-f", "lavfi", "-i", f"sine=frequency=425:duration={LENGTH_S}", "-af", on_off, *_MP3)


@cache
def dial_tone_mp3() -> bytes:
    """425 Hz without a break (the European dial tone)."""
    return _ffmpeg("-f", "lavfi", "-i", f"sine=frequency=425:duration={LENGTH_S}", *_MP3)


@cache
def low_noise_mp3() -> bytes:
    """Line hiss: pink noise about 55 dB below full scale."""
    return _ffmpeg("-f", "lavfi", "-i", f"anoisesrc=d={LENGTH_S}:c=pink:a=0.01", *_MP3)


@cache
def silence_mp3() -> bytes:
    return _ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", str(LENGTH_S), *_MP3)


def corrupt_mp3() -> bytes:
    """An MPEG frame header, then nothing an MP3 decoder can read."""
    return b"\xff\xfb\x90\x64" + bytes(range(256)) * 40


@cache
def long_message_mp3(minutes: int) -> bytes:
    """A caller speaks, then the line stays open: a phone left off the hook records for `minutes`."""
    with TemporaryDirectory() as folder:
        spoken = Path(folder) / "spoken.mp3"
        spoken.write_bytes(spoken_mp3("Hello, please call me back about the heating."))
        return _ffmpeg("-i", str(spoken), "-af", f"apad=whole_dur={minutes * 60}", *_MP3)

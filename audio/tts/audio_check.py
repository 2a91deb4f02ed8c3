"""Decode what an engine returned, so a file that merely exists is never taken for speech."""

import subprocess

from audio.tts.errors import SpeechError

# Decoding a minute of speech takes milliseconds; the bound only guards against a hung ffmpeg.
DECODE_TIMEOUT_S = 30.0
# Mono 16-bit PCM at a rate that keeps speech intelligible and the pipe small.
_CHECK_SAMPLE_RATE_HZ = 16_000
_BYTES_PER_SAMPLE = 2
# A single short word lasts longer than this; anything shorter is a fragment, not speech.
MIN_SPEECH_S = 0.1


def speech_duration_s(audio: bytes, *, ffmpeg: str = "ffmpeg", timeout_s: float = DECODE_TIMEOUT_S) -> float:
    """Decode `audio` (mp3 or wav) completely and return how long it plays; refuse empty or undecodable audio."""
    if not audio:
        raise SpeechError("the engine returned no audio at all (0 bytes)")
    command = [ffmpeg, "-hide_banner", "-nostats", "-v", "error", "-i", "pipe:0"]
    command += ["-f", "s16le", "-ac", "1", "-ar", str(_CHECK_SAMPLE_RATE_HZ), "pipe:1"]
    try:
        decoded = subprocess.run(command, input=audio, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError as error:
        raise SpeechError(f"cannot check audio: {ffmpeg!r} is not installed (apt-get install ffmpeg)") from error
    except subprocess.TimeoutExpired as error:
        raise SpeechError(f"cannot check audio: ffmpeg did not finish within {timeout_s:g} s") from error
    if decoded.returncode != 0:
        reason = decoded.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpeechError(f"the engine returned {len(audio)} bytes that do not decode as audio ({' / '.join(reason)})")
    duration_s = len(decoded.stdout) / (_BYTES_PER_SAMPLE * _CHECK_SAMPLE_RATE_HZ)
    if duration_s < MIN_SPEECH_S:
        raise SpeechError(f"the engine returned {duration_s:.3f} s of audio, too short to be speech")
    return duration_s

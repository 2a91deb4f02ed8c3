"""The check every engine's output passes before it is cached: real ffmpeg on real and broken audio."""

import subprocess

import pytest

from audio.tts import SpeechError
from audio.tts.audio_check import MIN_SPEECH_S, speech_duration_s
from tests.fakes.google_tts import decoded_duration_s, espeak_mp3


def tone_wav(duration_s: float) -> bytes:
    tone = f"sine=frequency=440:sample_rate=8000:duration={duration_s}"
    command = ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", tone, "-f", "wav", "pipe:1"]
    return subprocess.run(command, capture_output=True, check=True, timeout=30).stdout


def test_measures_mp3_like_an_independent_decode() -> None:
    audio = espeak_mp3("Thank you for calling, please hold.")

    assert speech_duration_s(audio) == pytest.approx(decoded_duration_s(audio), abs=0.01)


def test_measures_wav_exactly() -> None:
    assert speech_duration_s(tone_wav(1.5)) == pytest.approx(1.5, abs=0.001)


@pytest.mark.parametrize(
    ("audio", "reason"),
    [
        (b"", "no audio at all"),
        (b"<html>Before you continue to Google</html>", "do not decode as audio"),
        (b"\xff\xf3" + bytes(200), "do not decode as audio"),  # an mp3 frame sync, then nothing
    ],
)
def test_refuses_what_is_not_audio(audio: bytes, reason: str) -> None:
    with pytest.raises(SpeechError, match=reason):
        speech_duration_s(audio)


def test_refuses_a_blip_too_short_to_be_speech() -> None:
    with pytest.raises(SpeechError, match="too short to be speech"):
        speech_duration_s(tone_wav(MIN_SPEECH_S / 2))


def test_a_missing_ffmpeg_names_the_package() -> None:
    with pytest.raises(SpeechError, match=r"apt-get install ffmpeg"):
        speech_duration_s(tone_wav(1.0), ffmpeg="ffmpeg-not-installed")

"""The normalisation pipeline on generated signals, with real ffmpeg, judged by measuring its output."""

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from audio.errors import RefusedAudio
from audio.normalize import normalize_greeting
from tests.audio.signals import decoded, encode, ffmpeg, loudness_and_peak, probe, speech_wav

WELCOME = "Goedemiddag, u spreekt met Huisartsenpraktijk De Linde. Wij zijn open van acht tot vijf."


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Speech with 1.5 s of silence on either side, as a phone recording has."""
    folder = tmp_path_factory.mktemp("speech")
    voice = speech_wav(folder / "voice.wav", WELCOME)
    padded = folder / "padded.wav"
    ffmpeg("-i", str(voice), "-af", "adelay=1500,apad=pad_dur=1.5", "-ar", "48000", str(padded))
    return padded


def assert_telephone_ready(data: bytes) -> tuple[float, float]:
    probed = probe(data)
    assert (probed.codec, probed.rate_hz, probed.channels, probed.bits) == ("pcm_mulaw", 8000, 1, 8)
    lufs, peak = loudness_and_peak(data)
    assert -19.5 <= lufs <= -18.5, lufs
    assert peak <= -1.5, peak
    return lufs, peak


CASES = [
    ("very quiet stereo 44.1 kHz mp3", "quiet.mp3", ["-af", "volume=-30dB", "-ac", "2", "-ar", "44100"]),
    ("very loud stereo 48 kHz wav", "loud.wav", ["-af", "volume=+12dB", "-ac", "2", "-ar", "48000"]),
    ("stereo 48 kHz ogg vorbis", "speech.ogg", ["-ac", "2", "-c:a", "libvorbis"]),
    ("opus in ogg", "speech.opus", ["-c:a", "libopus"]),
    ("stereo 44.1 kHz m4a", "speech.m4a", ["-ac", "2", "-ar", "44100", "-c:a", "aac"]),
    ("flac", "speech.flac", []),
    ("webm", "speech.webm", ["-c:a", "libopus"]),
]


@pytest.mark.parametrize(("name", "file_name", "options"), CASES, ids=[case[0] for case in CASES])
def test_formats_and_levels_come_out_telephone_ready(
    speech: Path, tmp_path: Path, name: str, file_name: str, options: list[str]
) -> None:
    result = normalize_greeting(encode(speech, tmp_path / file_name, *options), kind="welcome")
    lufs, _peak = assert_telephone_ready(result.wav)
    assert abs(result.report.output_lufs - lufs) < 0.3  # the report tells the truth about the file
    assert result.report.output_true_peak_dbtp <= -1.5


def test_silence_is_trimmed_but_some_air_is_kept(tmp_path: Path) -> None:
    padded = tmp_path / "padded.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=2", "-af", "adelay=1500,apad=pad_dur=1.5", "-ar", "48000", str(padded))
    report = normalize_greeting(padded.read_bytes()).report
    assert 1280 <= report.trimmed_start_ms <= 1320  # 1.5 s of silence, 200 ms kept
    assert 1180 <= report.trimmed_end_ms <= 1220  # 1.5 s, 300 ms kept
    assert report.duration_s == pytest.approx(2.5, abs=0.06)


def two_tones_normalised(tmp_path: Path, first_hz: int, second_hz: int) -> tuple[NDArray[np.float64], int]:
    """Two equal sine tones mixed at 48 kHz, normalised; returns the decoded output and its rate."""
    mixed = tmp_path / "tones.wav"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=f={first_hz}:d=3",
        "-f",
        "lavfi",
        "-i",
        f"sine=f={second_hz}:d=3",
        "-filter_complex",
        "[0][1]amix=inputs=2:normalize=0",
        "-ar",
        "48000",
        str(mixed),
    )
    return decoded(normalize_greeting(mixed.read_bytes()).wav), 8000


def level_db_at(signal: NDArray[np.float64], rate_hz: int, frequency_hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(signal))
    frequencies = np.fft.rfftfreq(len(signal), 1 / rate_hz)
    return float(20 * np.log10(spectrum[np.abs(frequencies - frequency_hz) < 5].max()))


def test_rumble_below_the_voice_band_is_removed(tmp_path: Path) -> None:
    signal, rate = two_tones_normalised(tmp_path, 1000, 50)
    # The 50 Hz hum is at least 25 dB below the tone after the high-pass.
    assert level_db_at(signal, rate, 1000) - level_db_at(signal, rate, 50) > 25


def test_no_aliasing_from_above_the_telephone_band(tmp_path: Path) -> None:
    # A 5 kHz tone cannot be carried at 8 kHz; without an anti-alias filter it would fold down to 3 kHz.
    signal, rate = two_tones_normalised(tmp_path, 1000, 5000)
    assert level_db_at(signal, rate, 1000) - level_db_at(signal, rate, 3000) > 40


def test_a_clipped_source_is_limited_and_reported(speech: Path, tmp_path: Path) -> None:
    clipped = encode(
        speech, tmp_path / "clipped.wav", "-af", "volume=+30dB,alimiter=limit=1:level=false", "-c:a", "pcm_s16le"
    )
    result = normalize_greeting(clipped)
    assert_telephone_ready(result.wav)
    assert any("clipped" in warning for warning in result.report.warnings)


def test_a_short_clip_of_0_8_s_is_normalised(tmp_path: Path) -> None:
    clip = tmp_path / "clip.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=0.8", "-af", "volume=-20dB", "-ar", "44100", str(clip))
    result = normalize_greeting(clip.read_bytes())
    assert_telephone_ready(result.wav)
    assert 0.7 <= result.report.duration_s <= 0.85


def test_noise_is_normalised_and_called_noisy(tmp_path: Path) -> None:
    noise = tmp_path / "noise.wav"
    ffmpeg("-f", "lavfi", "-i", "anoisesrc=d=3:c=pink:a=0.2", "-ar", "48000", str(noise))
    result = normalize_greeting(noise.read_bytes())
    assert_telephone_ready(result.wav)
    assert any("noisy" in warning for warning in result.report.warnings)


def test_a_long_welcome_gets_a_warning(tmp_path: Path) -> None:
    long_speech = speech_wav(tmp_path / "long.wav", " ".join([WELCOME] * 3))
    result = normalize_greeting(long_speech.read_bytes(), kind="welcome")
    assert any("keep it under 10 s" in warning for warning in result.report.warnings)


@pytest.mark.parametrize(
    ("lavfi", "message"),
    [
        ("anullsrc=r=48000:cl=mono:d=3", "silent"),
        ("sine=f=440:d=0.3", "at least 0.5 s"),
    ],
)
def test_refusals_say_what_to_do(tmp_path: Path, lavfi: str, message: str) -> None:
    source = tmp_path / "bad.wav"
    ffmpeg("-f", "lavfi", "-i", lavfi, str(source))
    with pytest.raises(RefusedAudio, match=message):
        normalize_greeting(source.read_bytes())


def test_a_different_target_is_met(speech: Path) -> None:
    lufs, _peak = loudness_and_peak(normalize_greeting(speech.read_bytes(), target_lufs=-23.0).wav)
    assert -23.5 <= lufs <= -22.5


def test_the_preview_is_an_mp3_of_the_same_audio(speech: Path) -> None:
    result = normalize_greeting(speech.read_bytes())
    assert probe(result.preview_mp3).codec == "mp3"
    assert len(decoded(result.preview_mp3)) == pytest.approx(len(decoded(result.wav)), rel=0.1)

"""Our numpy-only meter against independent references: pyloudnorm and scipy, and BS.1770's own test signals."""

from pathlib import Path

import numpy as np
import pytest
from scipy.signal import butter, lfilter, sosfiltfilt

from audio import dsp
from audio.measure import PeakAndClipping, integrated_lufs, k_weighted, k_weighting, true_peak_dbtp, true_peaks
from tests.audio.signals import decoded, reference_lufs, reference_true_peak_dbtp, speech_wav

RATES = [8000, 16000, 44100, 48000]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speech_wav(tmp_path_factory.mktemp("speech") / "voice.wav", "Goedemiddag, u spreekt met De Linde.")


def tone(rate_hz: int, frequency_hz: float, level_dbfs: float, seconds: float) -> np.ndarray:
    return 10 ** (level_dbfs / 20) * np.sin(2 * np.pi * frequency_hz * np.arange(int(seconds * rate_hz)) / rate_hz)


@pytest.mark.parametrize("rate_hz", RATES)
def test_loudness_matches_pyloudnorm_on_speech_noise_and_quiet_stretches(speech: Path, rate_hz: int) -> None:
    voice = decoded(speech.read_bytes(), rate_hz)
    rng = np.random.default_rng(rate_hz)
    noise = rng.standard_normal(rate_hz * 3) * 0.05
    # Quiet stretches exercise both gates: -80 dB is below the absolute gate, -35 dB below the relative one.
    gated = np.concatenate([voice, noise * 1e-4, voice * 0.3, noise * 0.02, voice])
    for signal in (voice, noise, gated, gated * 0.01):
        assert integrated_lufs(signal, rate_hz) == pytest.approx(reference_lufs(signal, rate_hz), abs=0.01)
        assert integrated_lufs(signal.astype(np.float32), rate_hz) == pytest.approx(
            reference_lufs(signal, rate_hz), abs=0.01
        )


@pytest.mark.parametrize("rate_hz", RATES)
def test_k_weighting_in_the_frequency_domain_equals_the_time_domain_filter(rate_hz: int) -> None:
    signal = np.random.default_rng(1).standard_normal(rate_hz * 2)
    (shelf_b, shelf_a), (pass_b, pass_a) = k_weighting(rate_hz)
    expected = lfilter(pass_b, pass_a, lfilter(shelf_b, shelf_a, signal))
    assert np.max(np.abs(k_weighted(signal, rate_hz) - expected)) < 1e-4


def test_a_full_scale_1_khz_sine_reads_3_01_below_full_scale() -> None:
    # BS.1770-4, 2.1: a 0 dB FS 997 Hz sine on one channel reads -3.01 LKFS. (pyloudnorm's cookbook design of
    # the filter, which we share, reads 0.04 dB lower at 48 kHz.)
    assert integrated_lufs(tone(48000, 997, 0.0, 5), 48000) == pytest.approx(-3.01, abs=0.05)
    assert integrated_lufs(tone(48000, 1000, -20.0, 5), 48000) == pytest.approx(-23.01, abs=0.05)


# EBU Tech 3341 (2016), table 1, cases 1 to 5: stereo tones at these levels read -23 (case 2: -33) LUFS.
# Ours is mono, so each tone is 3.01 dB higher: one channel carrying what two identical ones carried.
TECH_3341 = [
    ([(-23, 20)], -23.0),
    ([(-33, 20)], -33.0),
    ([(-36, 10), (-23, 60), (-36, 10)], -23.0),
    ([(-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)], -23.0),
    ([(-26, 20), (-20, 20.1), (-26, 20)], -23.0),
]


@pytest.mark.parametrize(("parts", "expected_lufs"), TECH_3341, ids=["case 1", "case 2", "case 3", "case 4", "case 5"])
def test_ebu_tech_3341_gating_cases(parts: list[tuple[float, float]], expected_lufs: float) -> None:
    rate_hz = 48000
    signal = np.concatenate([tone(rate_hz, 1000, level + 3.0103, seconds) for level, seconds in parts])
    assert integrated_lufs(signal, rate_hz) == pytest.approx(expected_lufs, abs=0.1)  # Tech 3341's tolerance


def test_true_peak_matches_scipys_oversampling_and_finds_inter_sample_peaks(speech: Path) -> None:
    voice = decoded(speech.read_bytes())
    # A quarter-rate tone sampled 45 degrees off its crests: samples at 0.707, the wave at 1.0.
    off_crest = np.sin(2 * np.pi * 2000 * np.arange(8000) / 8000 + np.pi / 4)
    for signal in (voice, voice * 0.1, off_crest):
        assert true_peak_dbtp(signal) == pytest.approx(reference_true_peak_dbtp(signal), abs=0.01)
    assert np.max(np.abs(off_crest)) < 0.71
    assert 0.99 < true_peaks(off_crest)[100:-100].max() < 1.01


def test_the_high_pass_is_scipys_zero_phase_butterworth_away_from_the_ends() -> None:
    rate_hz = 8000
    signal = np.random.default_rng(2).standard_normal(rate_hz * 3).astype(np.float32)
    sos = butter(dsp.HIGH_PASS_ORDER, dsp.HIGH_PASS_HZ, btype="highpass", fs=rate_hz, output="sos")
    middle = slice(rate_hz // 2, -rate_hz // 2)
    ours, theirs = dsp.high_pass(signal, rate_hz)[middle], sosfiltfilt(sos, signal.astype(np.float64))[middle]
    assert np.max(np.abs(ours - theirs)) < 1e-4


def test_peak_and_clipping_read_in_chunks_count_runs_across_chunk_edges() -> None:
    signal = np.zeros(1000, dtype=np.float32)
    signal[10:14] = 1.0  # a run of four
    signal[98:103] = -1.0  # a run of five across the edge at 100
    signal[199:201] = 1.0  # two: not clipping
    signal[997:] = 1.0  # a run at the very end
    signal[500] = 0.5
    for chunk_size in (1, 2, 3, 100, 1000):
        stats = PeakAndClipping()
        for start in range(0, len(signal), chunk_size):
            stats.add(signal[start : start + chunk_size])
        stats.finish()
        assert (stats.peak, stats.clipped_places) == (1.0, 3), chunk_size

import numpy as np
import pytest

from audio import dsp
from audio.measure import true_peak_dbtp, true_peaks


def test_the_limiter_holds_the_ceiling_and_leaves_quiet_parts_alone() -> None:
    rate = 8000
    quiet = 0.1 * np.sin(2 * np.pi * 300 * np.arange(rate) / rate)
    loud = 2.0 * np.sin(2 * np.pi * 300 * np.arange(rate // 10) / rate)
    signal = np.concatenate([quiet, loud, quiet])
    gain = dsp.Limiter(true_peaks(signal), rate).gain(1.0, ceiling=0.5)
    limited = signal * gain
    assert np.max(np.abs(limited)) <= 0.5 + 1e-6
    # A gain in front scales the peaks: twice the gain, twice the cut where the limiter works.
    doubled = dsp.Limiter(true_peaks(signal), rate).gain(2.0, ceiling=0.5)
    assert np.max(np.abs(2 * signal * doubled)) <= 0.5 + 1e-6
    middle_of_loud = slice(rate + 100, rate + rate // 10 - 100)
    assert np.allclose(doubled[middle_of_loud], gain[middle_of_loud] / 2, rtol=1e-5)
    assert 20 * np.log10(gain.min()) < -11  # 2.0 down to 0.5 is 12 dB
    assert np.allclose(limited[: rate // 2], signal[: rate // 2])  # far from the peak: untouched
    # Look-ahead: the gain is already down 5 ms before the loud part starts, and back up 50 ms after it ends.
    assert gain[rate - 1] < 0.3
    assert gain[rate + rate // 10 + int(0.06 * rate)] == 1.0


def test_true_peaks_find_the_peak_between_samples() -> None:
    # A tone at a quarter of the rate, sampled 45 degrees off its crests: samples at 0.707, the wave at 1.0.
    rate = 8000
    tone = np.sin(2 * np.pi * 2000 * np.arange(rate) / rate + np.pi / 4)
    assert np.max(np.abs(tone)) < 0.71
    peaks = true_peaks(tone)[100:-100]
    assert 0.99 < peaks.max() < 1.01
    # The oversampling filter's ripple reads about 0.1 dB high: on the safe side of a ceiling.
    assert true_peak_dbtp(tone) == pytest.approx(0.0, abs=0.2)

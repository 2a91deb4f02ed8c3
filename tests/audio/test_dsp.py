import numpy as np
import pytest

from audio import dsp
from audio.measure import sample_peak_dbfs


@pytest.mark.parametrize("from_hz", [11025, 16000, 22050, 44100, 48000, 96000])
def test_resampling_keeps_the_level_of_a_voice_band_tone(from_hz: int) -> None:
    seconds = np.arange(from_hz) / from_hz
    tone = 0.5 * np.sin(2 * np.pi * 1000 * seconds)
    dsp.resample(tone, from_hz, 8000)  # twice: a cached filter must not drift
    resampled = dsp.resample(tone, from_hz, 8000)
    assert len(resampled) == 8000
    assert sample_peak_dbfs(resampled[100:-100]) == pytest.approx(sample_peak_dbfs(tone), abs=0.1)


def test_the_limiter_holds_the_ceiling_and_leaves_quiet_parts_alone() -> None:
    rate = 8000
    quiet = 0.1 * np.sin(2 * np.pi * 300 * np.arange(rate) / rate)
    loud = 2.0 * np.sin(2 * np.pi * 300 * np.arange(rate // 10) / rate)
    signal = np.concatenate([quiet, loud, quiet])
    limited, reduction_db = dsp.limit(signal, rate, ceiling=0.5)
    assert np.max(np.abs(limited)) <= 0.5 + 1e-6
    assert reduction_db < -11  # 2.0 down to 0.5 is 12 dB
    assert np.allclose(limited[: rate // 2], signal[: rate // 2])  # far from the peak: untouched

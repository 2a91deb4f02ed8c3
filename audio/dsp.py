"""Changing audio: each step takes a float signal and returns a new one (the pipeline measures around them)."""

from functools import lru_cache

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, firwin, resample_poly, sosfiltfilt

from audio.measure import FRAME_S, TRUE_PEAK_OVERSAMPLING, Signal, frame_levels_db

HIGH_PASS_HZ = 100.0  # below the voice band: rumble, handling noise, mains hum
LIMITER_LOOKAHEAD_S = 0.005
LIMITER_HOLD_S = 0.05


@lru_cache(maxsize=32)
def _anti_alias(up: int, down: int, from_hz: int, to_hz: int) -> Signal:
    # Kaiser beta 8.6 gives about 86 dB of stopband; pass up to 0.45 of the new rate, stop at its Nyquist.
    filter_rate_hz = up * from_hz
    pass_hz, stop_hz = 0.45 * min(from_hz, to_hz), 0.5 * min(from_hz, to_hz)
    taps = int(5.5 * filter_rate_hz / (stop_hz - pass_hz)) | 1
    # resample_poly multiplies (a copy of) the taps by `up` itself.
    design: Signal = firwin(taps, (pass_hz + stop_hz) / 2, window=("kaiser", 8.6), fs=filter_rate_hz)
    return design


def resample(signal: Signal, from_hz: int, to_hz: int) -> Signal:
    """Polyphase resampling behind a steep anti-alias filter (pydub's set_frame_rate has none)."""
    if from_hz == to_hz:
        return signal
    divisor = int(np.gcd(from_hz, to_hz))
    up, down = to_hz // divisor, from_hz // divisor
    result: Signal = resample_poly(signal, up, down, window=_anti_alias(up, down, from_hz, to_hz))
    return result


def high_pass(signal: Signal, rate_hz: int) -> Signal:
    # Zero-phase (forward and backward) so the filter does not smear transients into larger peaks.
    sos = butter(4, HIGH_PASS_HZ, btype="highpass", fs=rate_hz, output="sos")
    result: Signal = sosfiltfilt(sos, signal)
    return result


def voice_span(
    signal: Signal, rate_hz: int, below_loudest_db: float = 40.0, floor_db: float = -55.0
) -> tuple[int, int]:
    """First and last sample of frames loud enough to be voice; (0, 0) if there are none."""
    levels = frame_levels_db(signal, rate_hz)
    threshold = max(floor_db, float(levels.max()) - below_loudest_db)
    voiced = np.flatnonzero(levels > threshold)
    if len(voiced) == 0:
        return 0, 0
    size = int(FRAME_S * rate_hz)
    return int(voiced[0] * size), int(min(len(signal), (voiced[-1] + 1) * size))


def trim(signal: Signal, rate_hz: int, keep_before_s: float, keep_after_s: float) -> tuple[Signal, int, int]:
    """The voice with a little air around it; returns the signal and the samples cut at each end."""
    start, end = voice_span(signal, rate_hz)
    start = max(0, start - int(keep_before_s * rate_hz))
    end = min(len(signal), end + int(keep_after_s * rate_hz))
    return signal[start:end], start, len(signal) - end


def fade(signal: Signal, rate_hz: int, in_s: float, out_s: float) -> Signal:
    result = signal.copy()
    fade_in, fade_out = min(len(result), int(in_s * rate_hz)), min(len(result), int(out_s * rate_hz))
    if fade_in:
        result[:fade_in] *= np.linspace(0.0, 1.0, fade_in)
    if fade_out:
        result[-fade_out:] *= np.linspace(1.0, 0.0, fade_out)
    return result


def limit(signal: Signal, rate_hz: int, ceiling: float) -> tuple[Signal, float]:
    """Look-ahead peak limiter on the true (oversampled) peak; returns the signal and the deepest gain cut, dB.

    The gain needed at each sample is spread 5 ms ahead (so it is already down when the peak arrives), held
    50 ms after, and smoothed; only the loud moments are turned down, not the whole file.
    """
    oversampled = np.abs(resample_poly(signal, TRUE_PEAK_OVERSAMPLING, 1))
    peaks = oversampled[: len(signal) * TRUE_PEAK_OVERSAMPLING].reshape(-1, TRUE_PEAK_OVERSAMPLING).max(axis=1)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    ahead, hold = max(1, int(LIMITER_LOOKAHEAD_S * rate_hz)), max(1, int(LIMITER_HOLD_S * rate_hz))
    # A window from `hold` samples back to `ahead` samples forward: origin shifts scipy's centred window.
    size = ahead + hold + 1
    held = minimum_filter1d(needed, size=size, origin=(hold - ahead) // 2, mode="nearest")
    smoothed = uniform_filter1d(held, size=ahead, mode="nearest")
    gain = np.minimum(smoothed, held)
    deepest_db = float(20.0 * np.log10(max(float(gain.min()), 1e-9)))
    result: Signal = signal * gain
    return result, deepest_db

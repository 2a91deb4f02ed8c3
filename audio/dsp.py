"""Changing audio: each step takes a float signal and returns a new one (the pipeline measures around them).

Resampling is not here: ffmpeg does it with soxr while decoding (see `audio.decode`)."""

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, sosfiltfilt

from audio.measure import FRAME_S, Signal, frame_levels_db

HIGH_PASS_HZ = 100.0  # below the voice band: rumble, handling noise, mains hum
LIMITER_LOOKAHEAD_S = 0.005
LIMITER_HOLD_S = 0.05


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


def limiter_gain(peaks: Signal, rate_hz: int, ceiling: float) -> Signal:
    """A look-ahead limiter's gain for each sample, from the signal's true peaks (`measure.true_peaks`).

    The cut needed at each sample is applied 5 ms ahead (so the gain is already down when the peak arrives),
    held 50 ms after, and smoothed; only the loud moments are turned down, not the whole file. Peaks scale with
    any gain applied before the limiter, so they are measured once and the gain tried many times.
    """
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    ahead, hold = max(1, int(LIMITER_LOOKAHEAD_S * rate_hz)), max(1, int(LIMITER_HOLD_S * rate_hz))
    # A window from `hold` samples back to `ahead` samples forward: origin shifts scipy's centred window.
    size = ahead + hold + 1
    held = minimum_filter1d(needed, size=size, origin=(hold - ahead) // 2, mode="nearest")
    smoothed = uniform_filter1d(held, size=ahead, mode="nearest")
    gain: Signal = np.minimum(smoothed, held)
    return gain

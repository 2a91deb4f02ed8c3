"""Changing audio: each step takes a float32 signal and returns a new one (the pipeline measures around them).

numpy only. Resampling is not here: ffmpeg does it with soxr while decoding (see `audio.decode`).
"""

import numpy as np
from numpy.typing import NDArray

from audio.chunks import windowed
from audio.measure import FRAME_S, Signal, frame_levels_db
from audio.spectrum import butterworth_high_pass_power, filtered

HIGH_PASS_HZ = 100.0  # below the voice band: rumble, handling noise, mains hum
HIGH_PASS_ORDER = 4
LIMITER_LOOKAHEAD_S = 0.005
LIMITER_HOLD_S = 0.05


def high_pass(signal: Signal, rate_hz: int) -> Signal:
    """Fourth-order Butterworth, forward and backward (zero phase), so transients are not smeared into peaks."""
    # The mean first: the filter removes it anyway, and without it the padding makes no step at either end.
    centred = signal - np.float32(signal.mean(dtype=np.float64))
    return filtered(centred, rate_hz, butterworth_high_pass_power(HIGH_PASS_HZ, rate_hz, HIGH_PASS_ORDER))


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
        result[:fade_in] *= np.linspace(0.0, 1.0, fade_in, dtype=np.float32)
    if fade_out:
        result[-fade_out:] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)
    return result


def _sliding_max(values: Signal, before: int, after: int) -> Signal:
    """max(values[i - before : i + after + 1]) for every i, edges repeated (van Herk / Gil-Werman, O(n))."""
    width = before + after + 1

    def stretch_max(stretch: Signal) -> Signal:
        blocks = -(-len(stretch) // width)
        flat = np.full(blocks * width, -np.inf, np.float32)
        flat[: len(stretch)] = stretch
        grid = flat.reshape(blocks, width)
        from_block_start = np.maximum.accumulate(grid, axis=1).ravel()
        to_block_end = np.maximum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
        # A window starting at j ends at j + width - 1: the end of j's block and the start of the next.
        count = len(stretch) - width + 1
        result: Signal = np.maximum(to_block_end[:count], from_block_start[width - 1 : width - 1 + count])
        return result

    return windowed(values, before, after, stretch_max)


def _moving_average(values: Signal, size: int) -> Signal:
    """Centred mean over `size` samples, edges repeated."""

    def stretch_mean(stretch: Signal) -> Signal:
        running = np.concatenate(([0.0], np.cumsum(stretch, dtype=np.float64)))
        result: Signal = ((running[size:] - running[:-size]) / size).astype(np.float32)
        return result

    return windowed(values, size // 2, size - 1 - size // 2, stretch_mean)


class Limiter:
    """A look-ahead peak limiter on the true (oversampled) peaks, for any gain in front of it.

    The cut needed at each sample is applied 5 ms ahead (so the gain is already down when the peak arrives),
    held 50 ms after, and smoothed; only the loud moments are turned down, not the whole file. Peaks scale
    with the gain in front, so the slowest part (the largest peak near each sample) is found once, and each
    gain tried costs one division and one moving average.
    """

    def __init__(self, true_peaks: Signal, rate_hz: int) -> None:
        self.ahead = max(1, int(LIMITER_LOOKAHEAD_S * rate_hz))
        hold = max(1, int(LIMITER_HOLD_S * rate_hz))
        # Gain at sample i must be low enough for every peak from `hold` samples back to `ahead` samples on.
        self._nearby_peak = np.maximum(_sliding_max(true_peaks, hold, self.ahead), np.float32(1e-9))

    def gain(self, gain_in_front: float, ceiling: float) -> NDArray[np.float32]:
        """The limiter's gain for each sample (at most 1), when the signal is first multiplied by `gain_in_front`."""
        held = np.minimum(np.float32(1.0), np.float32(ceiling / gain_in_front) / self._nearby_peak)
        result: NDArray[np.float32] = np.minimum(_moving_average(held, self.ahead), held)
        return result

"""Measuring audio: loudness (ITU-R BS.1770 via pyloudnorm), true peak, levels per frame, clipping.

Measuring is kept apart from changing: every function here reads a signal and returns numbers.
"""

import math
from typing import Any

import numpy as np
import pyloudnorm
from numpy.typing import NDArray
from scipy.signal import resample_poly

Signal = NDArray[np.float64]
# Decoded samples as they come from ffmpeg (float32) or as we compute them (float64).
Samples = NDArray[np.floating[Any]]

# BS.1770 gating blocks are 400 ms; pyloudnorm cannot measure less.
MIN_MEASURABLE_S = 0.4
# True peak per ITU-R BS.1770-4 Annex 2: the peak of the signal oversampled four times.
TRUE_PEAK_OVERSAMPLING = 4
SILENCE_DB = -120.0
FRAME_S = 0.02


def to_db(linear: float) -> float:
    return 20.0 * math.log10(linear) if linear > 0 else SILENCE_DB


def integrated_lufs(signal: Signal, rate_hz: int) -> float:
    if len(signal) < MIN_MEASURABLE_S * rate_hz:
        return SILENCE_DB
    loudness = float(pyloudnorm.Meter(rate_hz).integrated_loudness(signal))
    return loudness if math.isfinite(loudness) else SILENCE_DB


def _oversampled(signal: Signal) -> Signal:
    result: Signal = resample_poly(signal, TRUE_PEAK_OVERSAMPLING, 1)
    return result


def true_peaks(signal: Signal) -> Signal:
    """For each sample, the largest magnitude of the 4x oversampled signal from it to the next sample."""
    oversampled = np.abs(_oversampled(signal))
    phases = [oversampled[phase::TRUE_PEAK_OVERSAMPLING] for phase in range(TRUE_PEAK_OVERSAMPLING)]
    result: Signal = np.maximum.reduce(phases)  # faster than a max over a reshaped axis of four
    return result


def true_peak_dbtp(signal: Signal) -> float:
    if len(signal) == 0:
        return SILENCE_DB
    oversampled = _oversampled(signal)
    return to_db(max(float(oversampled.max()), -float(oversampled.min())))


def sample_peak_dbfs(signal: Samples) -> float:
    return to_db(float(np.max(np.abs(signal)))) if len(signal) else SILENCE_DB


def frame_levels_db(signal: Signal, rate_hz: int) -> Signal:
    """RMS level of each 20 ms frame, in dBFS."""
    size = max(1, int(FRAME_S * rate_hz))
    count = len(signal) // size
    if count == 0:
        return np.array([SILENCE_DB])
    frames = signal[: count * size].reshape(count, size)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    result: Signal = 20.0 * np.log10(np.maximum(rms, 1e-6))
    return result


def clipped_runs(signal: Samples, threshold: float = 0.999, run_length: int = 3) -> int:
    """How many places hold `run_length` or more consecutive samples at full scale: the mark of clipping."""
    at_full_scale = np.abs(signal) >= threshold
    if not at_full_scale.any():
        return 0
    edges = np.diff(np.concatenate(([0], at_full_scale.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int(np.sum((ends - starts) >= run_length))

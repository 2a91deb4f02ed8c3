"""Measuring audio: loudness (ITU-R BS.1770-4), true peak, levels per frame, clipping. numpy only.

Measuring is kept apart from changing: every function here reads a signal and returns numbers. scipy and
pyloudnorm are not used: importing them took longer than normalising a short greeting. The K-weighting filter
is applied in the frequency domain (its exact response, in overlapping FFT blocks), which gives what pyloudnorm's
time-domain filter gives (tests hold the two together) at a fraction of the import and run time.
"""

import math
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from audio.chunks import windowed
from audio.spectrum import Section, biquads_response, filtered

Signal = NDArray[np.float32]
# Decoded samples as they come from ffmpeg (float32) or as a caller computed them (float64).
Samples = NDArray[np.floating[Any]]

# BS.1770 gating blocks are 400 ms, overlapping by 75 %: a 100 ms step.
BLOCK_S = 0.4
BLOCK_STEPS = 4
MIN_MEASURABLE_S = BLOCK_S
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
# BS.1770's offset, so that a full-scale 997 Hz sine on one channel reads -3.01 LUFS.
LOUDNESS_OFFSET_DB = -0.691
# True peak per ITU-R BS.1770-4 Annex 2: the peak of the signal oversampled four times.
TRUE_PEAK_OVERSAMPLING = 4
# The interpolation filter: 20 input samples each side, Kaiser beta 5 (what scipy's resample_poly used here).
_TRUE_PEAK_HALF_TAPS = 10 * TRUE_PEAK_OVERSAMPLING
SILENCE_DB = -120.0
FRAME_S = 0.02


def to_db(linear: float) -> float:
    return 20.0 * math.log10(linear) if linear > 0 else SILENCE_DB


@lru_cache(maxsize=8)
def k_weighting(rate_hz: int) -> tuple[Section, Section]:
    """BS.1770's two stages (shelf +4 dB above 1.5 kHz, high-pass at 38 Hz) as biquads for `rate_hz`.

    Designed as pyloudnorm designs them (Audio EQ Cookbook forms), so both meters read the same.
    """
    gain = 10 ** (4.0 / 40.0)
    w0 = 2.0 * math.pi * 1500.0 / rate_hz
    alpha, cos_w0, root = math.sin(w0) / (2.0 * (1 / math.sqrt(2))), math.cos(w0), math.sqrt(gain)
    shelf_b = (
        gain * ((gain + 1) + (gain - 1) * cos_w0 + 2 * root * alpha),
        -2 * gain * ((gain - 1) + (gain + 1) * cos_w0),
        gain * ((gain + 1) + (gain - 1) * cos_w0 - 2 * root * alpha),
    )
    shelf_a = (
        (gain + 1) - (gain - 1) * cos_w0 + 2 * root * alpha,
        2 * ((gain - 1) - (gain + 1) * cos_w0),
        (gain + 1) - (gain - 1) * cos_w0 - 2 * root * alpha,
    )
    w0 = 2.0 * math.pi * 38.0 / rate_hz
    alpha, cos_w0 = math.sin(w0) / (2.0 * 0.5), math.cos(w0)
    pass_b = ((1 + cos_w0) / 2, -(1 + cos_w0), (1 + cos_w0) / 2)
    pass_a = (1 + alpha, -2 * cos_w0, 1 - alpha)
    return (shelf_b, shelf_a), (pass_b, pass_a)


def k_weighted(signal: Samples, rate_hz: int) -> Signal:
    return filtered(signal, rate_hz, biquads_response(k_weighting(rate_hz)))


def block_energies(weighted: Signal, rate_hz: int) -> NDArray[np.float64]:
    """Mean square of each 400 ms gating block, one block every 100 ms (BS.1770-4, 2.8).

    Blocks are counted as pyloudnorm counts them (the duration less one block, in steps, rounded, plus one), so
    a last block that runs past the end is measured as if padded with silence, and short greetings read alike.
    """
    step = int(BLOCK_S / BLOCK_STEPS * rate_hz)
    if len(weighted) < BLOCK_STEPS * step:
        return np.zeros(0)
    blocks = int(np.round((len(weighted) / rate_hz - BLOCK_S) / (BLOCK_S / BLOCK_STEPS))) + 1
    steps = blocks + BLOCK_STEPS - 1
    whole = min(steps, len(weighted) // step)
    squares = weighted[: whole * step].reshape(whole, step)
    per_step = np.zeros(steps)
    per_step[:whole] = np.einsum("ij,ij->i", squares, squares, dtype=np.float64)
    if whole < steps:  # the part of a step left at the end
        rest = weighted[whole * step : steps * step]
        per_step[whole] = np.dot(rest, rest)
    running = np.concatenate(([0.0], np.cumsum(per_step)))
    result: NDArray[np.float64] = (running[BLOCK_STEPS:] - running[:-BLOCK_STEPS]) / (BLOCK_STEPS * step)
    return result


def gated_lufs(energies: NDArray[np.float64]) -> float:
    """Integrated loudness from the gating blocks' mean squares: absolute gate, then relative gate."""

    def loudness(mean_square: float) -> float:
        return LOUDNESS_OFFSET_DB + 10.0 * math.log10(mean_square) if mean_square > 0 else SILENCE_DB

    threshold = 10 ** ((ABSOLUTE_GATE_LUFS - LOUDNESS_OFFSET_DB) / 10)
    above = energies[energies > threshold]
    if len(above) == 0:
        return SILENCE_DB
    relative = 10 ** ((loudness(float(above.mean())) + RELATIVE_GATE_LU - LOUDNESS_OFFSET_DB) / 10)
    return loudness(float(above[above > relative].mean()))


def integrated_lufs(signal: Samples, rate_hz: int) -> float:
    if len(signal) < MIN_MEASURABLE_S * rate_hz:
        return SILENCE_DB
    return gated_lufs(block_energies(k_weighted(signal, rate_hz), rate_hz))


@lru_cache(maxsize=1)
def _interpolation_phases() -> tuple[tuple[float, ...], ...]:
    """The 4x interpolation filter (a windowed sinc cut at the input's Nyquist), split into the three phases
    between samples (the fourth, on the samples, is the samples themselves)."""
    offsets = np.arange(-_TRUE_PEAK_HALF_TAPS, _TRUE_PEAK_HALF_TAPS + 1)
    taps = np.sinc(offsets / TRUE_PEAK_OVERSAMPLING) * np.kaiser(len(offsets), 5.0)
    taps *= TRUE_PEAK_OVERSAMPLING / taps.sum()  # unity gain at DC
    return tuple(tuple(taps[phase::TRUE_PEAK_OVERSAMPLING].tolist()) for phase in range(1, TRUE_PEAK_OVERSAMPLING))


def true_peaks(signal: Samples) -> Signal:
    """For each sample, the largest magnitude of the 4x oversampled signal from it to the next sample."""
    reach = _TRUE_PEAK_HALF_TAPS // TRUE_PEAK_OVERSAMPLING  # input samples the filter reaches on each side

    def stretch_peaks(stretch: Signal) -> Signal:
        count = len(stretch) - 2 * reach
        peaks = np.abs(stretch[reach : reach + count])
        between, term = np.empty(count, np.float32), np.empty(count, np.float32)
        for taps in _interpolation_phases():
            # Phase p lies p/4 of a sample after sample n: taps k = p, p + 4, ... weigh samples n + 10, n + 9, ...
            # Shifted multiply-adds: several times faster than np.convolve on a kernel this short.
            between.fill(0.0)
            for index, tap in enumerate(taps):
                shift = 2 * reach - index
                np.multiply(stretch[shift : shift + count], np.float32(tap), out=term)
                between += term
            np.maximum(peaks, np.abs(between, out=between), out=peaks)
        return peaks

    samples = np.asarray(signal, dtype=np.float32)
    if len(samples) == 0:
        return samples
    # Beyond the ends the signal is taken as silent, as an oversampling filter starting from rest takes it.
    return windowed(samples, reach, reach, stretch_peaks, silent_outside=True)


def true_peak_dbtp(signal: Samples) -> float:
    return to_db(float(true_peaks(signal).max())) if len(signal) else SILENCE_DB


def sample_peak_dbfs(signal: Samples) -> float:
    return to_db(float(np.max(np.abs(signal)))) if len(signal) else SILENCE_DB


def frame_levels_db(signal: Samples, rate_hz: int) -> NDArray[np.float64]:
    """RMS level of each 20 ms frame, in dBFS."""
    size = max(1, int(FRAME_S * rate_hz))
    count = len(signal) // size
    if count == 0:
        return np.array([SILENCE_DB])
    frames = signal[: count * size].reshape(count, size)
    mean_squares = np.einsum("ij,ij->i", frames, frames, dtype=np.float64) / size
    result: NDArray[np.float64] = 10.0 * np.log10(np.maximum(mean_squares, 1e-12))
    return result


class PeakAndClipping:
    """Sample peak and clipped places of a stream read in chunks, so a long source is never held whole.

    A clipped place is a run of `run_length` or more consecutive samples at full scale; runs may span chunks.
    """

    def __init__(self, threshold: float = 0.999, run_length: int = 3) -> None:
        self.threshold, self.run_length = threshold, run_length
        self.peak = 0.0
        self.clipped_places = 0
        self._open_run = 0  # length of the run at full scale that the last chunk ended in

    def add(self, chunk: Samples) -> None:
        if len(chunk) == 0:
            return
        magnitude = np.abs(chunk)
        self.peak = max(self.peak, float(magnitude.max()))
        at_full_scale = magnitude >= self.threshold
        if not at_full_scale.any():
            self._close_run()
            return
        carried = np.ones(min(self._open_run, self.run_length), dtype=bool)
        edges = np.diff(np.concatenate(([False], carried, at_full_scale, [False])).astype(np.int8))
        lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
        if at_full_scale[-1]:
            self._open_run, lengths = int(lengths[-1]), lengths[:-1]
        else:
            self._open_run = 0
        self.clipped_places += int(np.sum(lengths >= self.run_length))

    def _close_run(self) -> None:
        if self._open_run >= self.run_length:
            self.clipped_places += 1
        self._open_run = 0

    def finish(self) -> None:
        self._close_run()

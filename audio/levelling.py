"""Gain and limiting that put the stored μ-law file itself on the loudness target, under the true-peak ceiling.

The limiter takes loudness away as the gain rises, and μ-law rounding moves both loudness and peak a little, so
the gain is searched for: apply, encode, decode, measure what a caller would hear, correct. The secant step
learns how much loudness each dB of gain still buys (about half, once the limiter works hard), so two to four
tries reach the target where a plain "add the error" step needed five or six.
"""

from dataclasses import dataclass

import numpy as np

from audio import dsp, mulaw
from audio.errors import RefusedAudio
from audio.measure import Signal, integrated_lufs, true_peak_dbtp, true_peaks
from audio.targets import PEAK_CEILING_DBTP

LOUDNESS_TOLERANCE_LU = 0.05  # how close the search gets before stopping
# The limiter aims this far under the ceiling, since μ-law rounding adds a little peak back (about 0.2 dB seen).
LIMITER_MARGIN_DB = 0.3
MAX_TRIES = 8
# Bounds on how much loudness one dB of gain buys: 1 with no limiting, less and less as the limiter works.
MIN_SLOPE, MAX_SLOPE = 0.05, 1.0
MAX_STEP_DB = 12.0


@dataclass(frozen=True)
class Levelled:
    mulaw: bytes
    lufs: float
    true_peak_dbtp: float
    gain_db: float
    limiter_reduction_db: float  # the deepest cut the limiter made, as a positive number
    tries: int


def _try(signal: Signal, peaks: Signal, rate_hz: int, gain_db: float, ceiling_dbtp: float) -> tuple[bytes, float]:
    gain = 10 ** (gain_db / 20)
    limiter = dsp.limiter_gain(peaks * gain, rate_hz, 10 ** (ceiling_dbtp / 20))
    reduction_db = -20.0 * float(np.log10(max(float(limiter.min()), 1e-9)))
    return mulaw.encode(signal * gain * limiter), reduction_db


def level(signal: Signal, rate_hz: int, measured_lufs: float, target_lufs: float) -> Levelled:
    peaks = true_peaks(signal)  # measured once: they scale with the gain
    gain_db, ceiling_dbtp = target_lufs - measured_lufs, PEAK_CEILING_DBTP - LIMITER_MARGIN_DB
    previous: tuple[float, float] | None = None
    best: Levelled | None = None
    for tries in range(1, MAX_TRIES + 1):
        encoded, reduction_db = _try(signal, peaks, rate_hz, gain_db, ceiling_dbtp)
        heard = mulaw.decode(encoded)
        lufs, peak_dbtp = integrated_lufs(heard, rate_hz), true_peak_dbtp(heard)
        if peak_dbtp > PEAK_CEILING_DBTP:
            ceiling_dbtp -= peak_dbtp - PEAK_CEILING_DBTP + 0.1
            previous = None  # a new ceiling is a new curve
            continue
        result = Levelled(encoded, lufs, peak_dbtp, gain_db, reduction_db, tries)
        if best is None or abs(lufs - target_lufs) < abs(best.lufs - target_lufs):
            best = result
        if abs(lufs - target_lufs) <= LOUDNESS_TOLERANCE_LU:
            break
        slope = MAX_SLOPE
        if previous is not None and gain_db != previous[0]:
            slope = min(MAX_SLOPE, max(MIN_SLOPE, (lufs - previous[1]) / (gain_db - previous[0])))
        previous = (gain_db, lufs)
        gain_db += max(-MAX_STEP_DB, min(MAX_STEP_DB, (target_lufs - lufs) / slope))
    if best is None:
        raise RefusedAudio(
            f"this recording cannot be kept under {PEAK_CEILING_DBTP} dBTP: it is not a voice; record it again"
        )
    return best

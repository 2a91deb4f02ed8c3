"""Gain and limiting that put the stored μ-law file itself on the loudness target, under the true-peak ceiling.

The limiter takes loudness away as the gain rises, and μ-law rounding moves both loudness and peak a little.
So the gain is first found on a prediction: K-weighting is linear and the limiter's gain changes slowly, so
the K-weighted signal times the limiter's gain is, to within a few hundredths of a LU, the K-weighted limited
signal; trying a gain on it costs a multiplication and a sum per block, no filtering. Then the predicted gain
is applied, encoded, decoded and measured as a caller would hear it; what is left of the error (μ-law, the
approximation) is corrected on the prediction again. One or two full tries reach the target.
"""

import math
from dataclasses import dataclass

import numpy as np

from audio import mulaw
from audio.dsp import Limiter
from audio.errors import AudioCode, RefusedAudio
from audio.measure import Signal, block_energies, gated_lufs, integrated_lufs, k_weighted, true_peak_dbtp, true_peaks
from audio.targets import PEAK_CEILING_DBTP

LOUDNESS_TOLERANCE_LU = 0.05  # how close the search gets before stopping
# The limiter aims this far under the ceiling, since μ-law rounding adds a little peak back (about 0.2 dB seen).
LIMITER_MARGIN_DB = 0.3
MAX_TRIES = 6
PREDICTION_STEPS = 12
PREDICTION_TOLERANCE_LU = 0.005
# Bounds on how much loudness one dB of gain buys: 1 with no limiting, less and less as the limiter works.
MIN_SLOPE, MAX_SLOPE = 0.05, 1.0
MAX_STEP_DB = 12.0
# More gain than this only amplifies noise: a click in silence would otherwise drive the search to infinity.
MAX_GAIN_DB = 80.0
SILENT_LUFS = -70.0  # BS.1770's absolute gate: nothing louder than this to measure


@dataclass(frozen=True)
class Levelled:
    mulaw: bytes
    measured_lufs: float  # before any gain
    lufs: float
    true_peak_dbtp: float
    gain_db: float
    limiter_reduction_db: float  # the deepest cut the limiter made, as a positive number
    tries: int


class _Predictor:
    def __init__(self, signal: Signal, rate_hz: int) -> None:
        self.rate_hz = rate_hz
        self.weighted = k_weighted(signal, rate_hz)
        self.limiter = Limiter(true_peaks(signal), rate_hz)

    def lufs(self, gain_db: float, ceiling_dbtp: float) -> float:
        gain = 10 ** (gain_db / 20)
        limited = self.limiter.gain(gain, 10 ** (ceiling_dbtp / 20))
        limited *= np.float32(gain)
        limited *= self.weighted
        return gated_lufs(block_energies(limited, self.rate_hz))

    def gain_for(self, target_lufs: float, start_db: float, ceiling_dbtp: float) -> float:
        """The gain whose predicted loudness is `target_lufs`: secant steps, the slope learnt as it goes."""
        gain_db, previous = start_db, None
        for _step in range(PREDICTION_STEPS):
            lufs = self.lufs(gain_db, ceiling_dbtp)
            if abs(lufs - target_lufs) <= PREDICTION_TOLERANCE_LU:
                break
            slope = MAX_SLOPE
            if previous is not None and gain_db != previous[0]:
                slope = min(MAX_SLOPE, max(MIN_SLOPE, (lufs - previous[1]) / (gain_db - previous[0])))
            previous = (gain_db, lufs)
            gain_db += max(-MAX_STEP_DB, min(MAX_STEP_DB, (target_lufs - lufs) / slope))
            gain_db = max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain_db))
        return gain_db


def level(signal: Signal, rate_hz: int, target_lufs: float) -> Levelled:
    predictor = _Predictor(signal, rate_hz)
    measured_lufs = gated_lufs(block_energies(predictor.weighted, rate_hz))
    if measured_lufs <= SILENT_LUFS:
        raise RefusedAudio(
            "there is too little sound to measure its loudness; record the greeting again", AudioCode.TOO_QUIET
        )
    ceiling_dbtp = PEAK_CEILING_DBTP - LIMITER_MARGIN_DB
    aim_lufs, gain_db = target_lufs, target_lufs - measured_lufs
    best: Levelled | None = None
    for tries in range(1, MAX_TRIES + 1):
        gain_db = predictor.gain_for(aim_lufs, gain_db, ceiling_dbtp)
        gain = 10 ** (gain_db / 20)
        limiter = predictor.limiter.gain(gain, 10 ** (ceiling_dbtp / 20))
        reduction_db = -20.0 * math.log10(max(float(limiter.min()), 1e-9))
        limiter *= np.float32(gain)
        limiter *= signal
        encoded = mulaw.encode(limiter)
        del limiter
        heard = mulaw.decode(encoded)
        lufs, peak_dbtp = integrated_lufs(heard, rate_hz), true_peak_dbtp(heard)
        del heard
        if peak_dbtp > PEAK_CEILING_DBTP:
            ceiling_dbtp -= peak_dbtp - PEAK_CEILING_DBTP + 0.1
            continue
        result = Levelled(encoded, measured_lufs, lufs, peak_dbtp, gain_db, reduction_db, tries)
        if best is None or abs(lufs - target_lufs) < abs(best.lufs - target_lufs):
            best = result
        if abs(lufs - target_lufs) <= LOUDNESS_TOLERANCE_LU:
            break
        # What the prediction missed (μ-law, the approximation) is about the same near this gain: aim past it.
        aim_lufs += target_lufs - lufs
    if best is None:
        raise RefusedAudio(
            f"this recording cannot be kept under {PEAK_CEILING_DBTP} dBTP: it is not a voice; record it again",
            AudioCode.NOT_A_VOICE,
        )
    return best

"""Linear filters applied in the frequency domain with numpy's FFT: each filter's exact response, no scipy.

A recursive (IIR) filter's impulse response decays within a few hundred milliseconds; giving each FFT block
more than that on either side of the samples it keeps stops the circular convolution from wrapping, so the
result equals the time-domain filter's (from rest) to float precision. Blocks of FFTs cost less than scipy's
sample-by-sample loop, and numpy is imported anyway.
"""

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

# Longer than the ringing of every filter used here (the slowest is K-weighting's 38 Hz high-pass); the tests
# hold each filter to scipy's time-domain one at 8 to 48 kHz.
PAD_S = 0.25


def fft_size(at_least: int) -> int:
    """The smallest 2^a 3^b 5^c not below `at_least`: lengths numpy's FFT handles fastest."""
    best = 1 << max(0, math.ceil(math.log2(max(1, at_least))))
    fives = 1
    while fives < best:
        threes = fives
        while threes < best:
            candidate = threes << max(0, math.ceil(math.log2(at_least / threes)))
            best = min(best, candidate)
            threes *= 3
        fives *= 5
    return best


_MIN_BLOCK = 1 << 14

Response = Callable[[NDArray[np.float64]], NDArray[Any]]  # a filter's response at these angles (rad/sample)
Section = tuple[Sequence[float], Sequence[float]]  # a biquad's (b, a), as scipy writes them


def biquads_response(sections: Sequence[Section]) -> Response:
    """H(e^jw) of biquads in series.

    In double precision, section by section: near DC a high-pass's numerator and denominator both nearly
    vanish, and single precision lost a percent there (seen at 44.1 kHz with the 38 Hz stage).
    """

    def response(angles: NDArray[np.float64]) -> NDArray[np.complex128]:
        delay = np.empty(len(angles), np.complex128)  # e^-jw from cos and sin: much faster than a complex exp
        delay.real, delay.imag = np.cos(angles), -np.sin(angles)
        result = np.ones(len(angles), np.complex128)
        for (b0, b1, b2), (a0, a1, a2) in sections:
            result *= (b0 + delay * (b1 + delay * b2)) / (a0 + delay * (a1 + delay * a2))
        return result

    return response


def butterworth_high_pass_power(cutoff_hz: float, rate_hz: int, order: int) -> Response:
    """|H|^2 of a digital Butterworth high-pass (bilinear transform): what filtering forward and backward does.

    Zero-phase, as scipy's sosfiltfilt(butter(order, cutoff, "highpass")) is.
    """
    warped_cutoff = math.tan(math.pi * cutoff_hz / rate_hz)

    def power(angles: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            ratio = warped_cutoff / np.tan(angles / 2)
        # |H|^2 of one pass; forward then backward multiplies by H and by its conjugate, which is |H|^2.
        result: NDArray[np.float64] = 1.0 / (1.0 + ratio ** (2 * order))
        return result

    return power


def filtered(signal: NDArray[np.floating[Any]], rate_hz: int, response: Response) -> NDArray[np.float32]:
    """The signal through a linear filter given by its frequency response, as float32 (silence outside).

    Overlap-save in blocks: each block's FFT sees `reach` samples either side of the part it keeps, longer than
    the filter rings, so nothing wraps around; memory stays one block's, whatever the signal's length.
    """
    reach = int(PAD_S * rate_hz)
    block = fft_size(max(_MIN_BLOCK, 4 * (2 * reach + 1)))
    kept = block - 2 * reach
    angles = np.linspace(0.0, math.pi, block // 2 + 1)  # radians per sample at each rfft bin
    gains = response(angles).astype(np.complex64)
    samples = np.asarray(signal, dtype=np.float32)
    result = np.empty(len(samples), np.float32)
    stretch = np.zeros(block, np.float32)
    for start in range(0, len(samples), kept):
        lo, hi = start - reach, start - reach + block
        stretch.fill(0.0)
        stretch[max(0, -lo) : block - max(0, hi - len(samples))] = samples[max(0, lo) : min(len(samples), hi)]
        # norm="forward" puts the 1/n on the way in; numpy's float32 rfft ran four times slower without it.
        spectrum = np.fft.rfft(stretch, norm="forward")
        spectrum *= gains
        out = np.fft.irfft(spectrum, n=block, norm="forward")
        stop = min(len(samples), start + kept)
        result[start:stop] = out[reach : reach + stop - start]
    return result

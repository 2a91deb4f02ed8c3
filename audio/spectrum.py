"""Linear filters applied in the frequency domain with numpy's FFT: each filter's exact response, no scipy.

A recursive (IIR) filter's impulse response decays within a few hundred milliseconds; padding the signal with
more zeros than that before the FFT keeps the circular convolution from wrapping the end onto the start, so the
result equals the time-domain filter's (from rest) to float precision. One FFT each way costs less than
scipy's sample-by-sample loop, and numpy is imported anyway.
"""

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Spectrum = NDArray[np.complex64]
# Longer than the ringing of every filter used here (the slowest: the 38 Hz high-pass of K-weighting, which
# falls below 1e-7 within about 80 ms).
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


def _frequencies(size: int) -> NDArray[np.float64]:
    """Radians per sample of each bin of an rfft of `size` points."""
    return np.linspace(0.0, math.pi, size // 2 + 1)


Section = tuple[Sequence[float], Sequence[float]]  # a biquad's (b, a), as scipy writes them


def biquads_response(sections: Sequence[Section], size: int) -> Spectrum:
    """H(e^jw) of biquads in series at the bins of an rfft of `size` points.

    In double precision, section by section: near DC a high-pass's numerator and denominator both nearly
    vanish, and single precision lost a percent there (seen at 44.1 kHz with the 38 Hz stage).
    """
    angles = _frequencies(size)
    delay = np.empty(len(angles), np.complex128)  # e^-jw from cos and sin: ten times faster than a complex exp
    delay.real, delay.imag = np.cos(angles), -np.sin(angles)
    response = np.ones(len(angles), np.complex128)
    for (b0, b1, b2), (a0, a1, a2) in sections:
        response *= (b0 + delay * (b1 + delay * b2)) / (a0 + delay * (a1 + delay * a2))
    result: Spectrum = response.astype(np.complex64)
    return result


def butterworth_high_pass_power(cutoff_hz: float, rate_hz: int, order: int, size: int) -> NDArray[np.float32]:
    """|H|^2 of a digital Butterworth high-pass (bilinear transform): what filtering forward and backward does.

    Zero-phase, as scipy's sosfiltfilt(butter(order, cutoff, "highpass")) is.
    """
    half_angle = _frequencies(size) / 2
    with np.errstate(divide="ignore"):
        ratio = math.tan(math.pi * cutoff_hz / rate_hz) / np.tan(half_angle)
    # |H|^2 of one pass; forward then backward multiplies by H and by its conjugate, which is |H|^2.
    result: NDArray[np.float32] = (1.0 / (1.0 + ratio ** (2 * order))).astype(np.float32)
    return result


def filtered(
    signal: NDArray[np.floating[Any]], rate_hz: int, response: Callable[[int], NDArray[Any]]
) -> NDArray[np.float32]:
    """The signal through a linear filter given by its `response(fft_size)` on rfft bins, as float32."""
    size = fft_size(len(signal) + int(PAD_S * rate_hz))
    # norm="forward" puts the 1/n on the way in; numpy's float32 rfft ran about four times slower without it.
    spectrum = np.fft.rfft(np.asarray(signal, dtype=np.float32), n=size, norm="forward")
    spectrum *= response(size)
    result: NDArray[np.float32] = np.fft.irfft(spectrum, n=size, norm="forward")[: len(signal)]  # type: ignore[assignment]
    return result

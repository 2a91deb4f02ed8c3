"""G.711 μ-law (ITU-T G.711) in numpy: the encoding of the telephone network and of what Twilio plays."""

import numpy as np

from audio.measure import Signal

_BIAS = 0x84
_CLIP_14 = 8159
_SEGMENT_ENDS = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF])


def encode(signal: Signal) -> bytes:
    """The reference encoder (Sun's g711.c, as in CPython's audioop) on 14-bit samples."""
    pcm = np.clip(np.round(signal * 32768.0), -32768, 32767).astype(np.int32) >> 2
    mask = np.where(pcm < 0, 0x7F, 0xFF)
    magnitude = np.minimum(np.abs(pcm), _CLIP_14) + (_BIAS >> 2)
    segment = np.searchsorted(_SEGMENT_ENDS, magnitude)  # first end >= magnitude
    value = np.where(
        segment >= len(_SEGMENT_ENDS), 0x7F, (np.minimum(segment, 7) << 4) | ((magnitude >> (segment + 1)) & 0x0F)
    )
    encoded = np.bitwise_xor(value.astype(np.int64), mask.astype(np.int64))
    return bytes(encoded.astype(np.uint8))


def decode(data: bytes) -> Signal:
    byte = ~np.frombuffer(data, dtype=np.uint8).astype(np.int32) & 0xFF
    sign, exponent, mantissa = byte & 0x80, (byte >> 4) & 0x07, byte & 0x0F
    magnitude = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    pcm = np.where(sign != 0, -magnitude, magnitude)
    result: Signal = pcm.astype(np.float64) / 32768.0
    return result

"""A picture of a greeting, drawn from the stored 8 kHz μ-law WAV callers hear: its waveform as an SVG path,
and its loudness and true peak measured on that same file (not copied from what normalising aimed for)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from audio.wav import TELEPHONE_RATE_HZ, read_mulaw_wav

if TYPE_CHECKING:
    from audio.measure import Signal

COLUMNS = 240
HEIGHT = 48


@dataclass(frozen=True)
class Picture:
    wave: str  # an SVG path COLUMNS wide and HEIGHT high; "" when there is too little audio to draw
    lufs: float
    true_peak_dbtp: float


def picture(wav: bytes) -> Picture | None:
    """None if the bytes are not a WAV the media store wrote."""
    # Here, not at the top: numpy is imported when a page first shows a recording, not when the server starts.
    from audio import mulaw
    from audio.measure import integrated_lufs, true_peak_dbtp

    encoded = read_mulaw_wav(wav)
    if encoded is None:
        return None
    samples = mulaw.decode(encoded)
    return Picture(_wave(samples), integrated_lufs(samples, TELEPHONE_RATE_HZ), true_peak_dbtp(samples))


def _wave(samples: "Signal") -> str:
    """The min/max envelope per column, drawn along the top and back along the bottom."""
    import numpy as np

    if len(samples) < COLUMNS:
        return ""
    columns = np.array_split(samples, COLUMNS)
    middle = HEIGHT / 2
    tops = [middle - float(column.max()) * middle for column in columns]
    bottoms = [middle - float(column.min()) * middle for column in columns]
    forward = " ".join(f"L{x},{y:.1f}" for x, y in enumerate(tops))
    back = " ".join(f"L{x},{y:.1f}" for x, y in reversed(list(enumerate(bottoms))))
    return f"M0,{middle} {forward} {back} Z"

"""A picture of a greeting: its waveform as an SVG path, drawn from the stored 8 kHz μ-law WAV."""

from pathlib import Path

import numpy as np

from audio import mulaw

COLUMNS = 240
HEIGHT = 48


def waveform_path(wav_path: Path) -> str:
    """An SVG path of the min/max envelope, COLUMNS wide and HEIGHT high ("" if the file is unreadable)."""
    data = wav_path.read_bytes()
    start = data.find(b"data")
    if start < 0:
        return ""
    samples = mulaw.decode(data[start + 8 :])
    if len(samples) < COLUMNS:
        return ""
    columns = np.array_split(samples, COLUMNS)
    middle = HEIGHT / 2
    tops = [middle - float(column.max()) * middle for column in columns]
    bottoms = [middle - float(column.min()) * middle for column in columns]
    forward = " ".join(f"L{x},{y:.1f}" for x, y in enumerate(tops))
    back = " ".join(f"L{x},{y:.1f}" for x, y in reversed(list(enumerate(bottoms))))
    return f"M0,{middle} {forward} {back} Z"

"""Test signals made with real ffmpeg and espeak-ng, and measurements of what the pipeline wrote.

What the pipeline wrote is measured with independent references, not with our own meter: pyloudnorm for
loudness (BS.1770), scipy's polyphase resampler for the true peak.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyloudnorm
from numpy.typing import NDArray
from scipy.signal import resample_poly

Signal = NDArray[np.float64]

TIMEOUT_S = 60


def ffmpeg(*arguments: str, stdin: bytes | None = None) -> bytes:
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *arguments]
    return subprocess.run(command, input=stdin, capture_output=True, check=True, timeout=TIMEOUT_S).stdout


def speech_wav(path: Path, text: str, voice: str = "nl") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True, timeout=TIMEOUT_S)
    return path


def encode(source: Path, target: Path, *options: str) -> bytes:
    ffmpeg("-i", str(source), *options, str(target))
    return target.read_bytes()


@dataclass(frozen=True)
class Probed:
    codec: str
    rate_hz: int
    channels: int
    bits: int


def probe(data: bytes) -> Probed:
    command = ["ffprobe", "-v", "error", "-show_streams", "-of", "json", "-i", "pipe:0"]
    stream = json.loads(subprocess.run(command, input=data, capture_output=True, check=True, timeout=TIMEOUT_S).stdout)
    first = stream["streams"][0]
    return Probed(first["codec_name"], int(first["sample_rate"]), int(first["channels"]), int(first["bits_per_sample"]))


def decoded(data: bytes, rate_hz: int = 8000) -> Signal:
    """Decode with ffmpeg (not our own μ-law code), as any player would."""
    raw = ffmpeg("-i", "pipe:0", "-f", "f32le", "-ac", "1", "-ar", str(rate_hz), "pipe:1", stdin=data)
    return np.frombuffer(raw, dtype="<f4").astype(np.float64)


def reference_lufs(signal: Signal, rate_hz: int) -> float:
    return float(pyloudnorm.Meter(rate_hz).integrated_loudness(signal))


def reference_true_peak_dbtp(signal: Signal) -> float:
    oversampled: Signal = resample_poly(signal, 4, 1)
    return float(20 * np.log10(np.max(np.abs(oversampled))))


def loudness_and_peak(data: bytes) -> tuple[float, float]:
    signal = decoded(data)
    return reference_lufs(signal, 8000), reference_true_peak_dbtp(signal)

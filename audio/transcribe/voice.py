"""Is anyone speaking? A recording with no voice (silence, a busy or dial tone, line noise, a click) is not a
message, and Whisper, given one, writes words anyway. Measured on the samples, no model needed:

A 32 ms frame counts as speech when it is loud enough to be a caller (not line noise), its energy is not held in a
few narrow peaks (a tone: 425 Hz busy and dial tones, 350+440 Hz in the US, ITU-T E.180), and its level moves
like syllables do (a steady hiss or hum does not). Frames beside a tone are not counted: a tone switching on or
off splashes across the spectrum for a frame or two.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from audio.ffmpeg import INPUT_PROTOCOLS, run_ffmpeg
from audio.transcribe.samples import RATE_HZ, Samples

FRAME = 512  # 32 ms
# The telephone band (ITU-T G.712: 300-3400 Hz), from 200 Hz to keep low voices' fundamentals.
BAND_HZ = (200.0, 3400.0)
# Quieter than this (dBFS, in the band) is line noise, not a caller; speech at 8 kHz measured -25 dBFS.
MIN_LEVEL_DBFS = -45.0
# A tone keeps over 99 % of a frame's energy in its six largest bins; speech measured 66 % (median), 95 % (p99).
TONE_SHARE = 0.97
# The spread (dB) of the level over one second around a frame: speech measured 14-27 dB, steady noise under 1 dB.
MIN_LEVEL_SPREAD_DB = 4.0
SPREAD_FRAMES = 31
# Less than this much speech is a click, a breath or a word cut off: not a message. Measured: a busy tone's
# edges count 0.3 s in 20 s before the frames beside tones were left out, 0 s after.
MIN_SPEECH_S = 1.0


@dataclass(frozen=True)
class VoiceReport:
    duration_s: float
    speech_s: float

    @property
    def has_speech(self) -> bool:
        return self.speech_s >= MIN_SPEECH_S


def decode_16k(audio: bytes, at_most_s: float) -> Samples:
    """Any recording to mono 16 kHz float samples, at most `at_most_s` of them (RefusedAudio if undecodable)."""
    arguments = ["-protocol_whitelist", INPUT_PROTOCOLS, "-i", "pipe:0", "-t", f"{at_most_s:.3f}"]
    arguments += ["-vn", "-ac", "1", "-ar", str(RATE_HZ), "-f", "f32le", "pipe:1"]
    raw = run_ffmpeg(arguments, audio, refuse_as="the voicemail recording could not be decoded")
    return np.frombuffer(raw, dtype=np.float32)


def measure_voice(samples: Samples) -> VoiceReport:
    count = len(samples) // FRAME
    duration_s = len(samples) / RATE_HZ
    if count == 0:
        return VoiceReport(duration_s, 0.0)
    window = np.hanning(FRAME).astype(np.float32)
    frames = samples[: count * FRAME].reshape(count, FRAME) * window
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(FRAME, 1 / RATE_HZ)
    band = power[:, (freqs >= BAND_HZ[0]) & (freqs <= BAND_HZ[1])]
    total = band.sum(axis=1) + 1e-20
    # A full-scale sine through the Hann window sums to FRAME² · 0.375 / 4 in its bins: that is 0 dBFS.
    level_db = 10 * np.log10(total / (FRAME * FRAME * 0.375 / 4) + 1e-18)
    tone_share = np.sort(band, axis=1)[:, -6:].sum(axis=1) / total
    tonal = _widen(tone_share >= TONE_SHARE, 2)
    padded = np.pad(level_db, (SPREAD_FRAMES // 2, SPREAD_FRAMES // 2), mode="edge")
    spread = np.lib.stride_tricks.sliding_window_view(padded, SPREAD_FRAMES).std(axis=1)
    speech = (level_db > MIN_LEVEL_DBFS) & ~tonal & (spread > MIN_LEVEL_SPREAD_DB)
    return VoiceReport(duration_s, float(speech.sum()) * FRAME / RATE_HZ)


def _widen(mask: npt.NDArray[np.bool_], frames: int) -> npt.NDArray[np.bool_]:
    widened = mask.copy()
    for shift in range(1, frames + 1):
        widened[shift:] |= mask[:-shift]
        widened[:-shift] |= mask[shift:]
    return widened

"""A greeting as callers should hear it: mono, telephone band, -19 LUFS, no clipping, no dead air.

Measure, then apply: each step is measured before and after and reported. Blocking (ffmpeg, numpy): run it
in the CLI, a job or a worker thread, never on the event loop.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np

from audio import dsp
from audio.decode import decode
from audio.errors import AudioCode, InvalidTarget, RefusedAudio
from audio.ffmpeg import INPUT_PROTOCOLS, run_ffmpeg
from audio.levelling import level
from audio.measure import MIN_MEASURABLE_S, frame_levels_db, integrated_lufs, sample_peak_dbfs
from audio.report import NormalizationReport
from audio.targets import (
    LONGEST_S,
    LOUDNESS_PROMISE_LU,
    MAX_DURATION_S,
    MAX_UPLOAD_BYTES,
    MIN_DURATION_S,
    PEAK_CEILING_DBTP,
    TARGET_LUFS,
    TARGET_RANGE_LUFS,
)
from audio.wav import TELEPHONE_RATE_HZ, mulaw_wav

__all__ = ["MAX_UPLOAD_BYTES", "PEAK_CEILING_DBTP", "TARGET_LUFS", "Kind", "NormalizedGreeting", "normalize_greeting"]

Kind = Literal["welcome", "info", "other"]

KEEP_BEFORE_VOICE_S = 0.2
KEEP_AFTER_VOICE_S = 0.3
FADE_IN_S = 0.01
FADE_OUT_S = 0.05
DIGITAL_SILENCE_DBFS = -70.0
NOISY_SNR_DB = 20.0
CLIPPED_PLACES = 3  # runs of full-scale samples before we call the source clipped
PREVIEW_BITRATE = "32k"


@dataclass(frozen=True)
class NormalizedGreeting:
    wav: bytes  # 8 kHz mono 8-bit μ-law WAV: what Twilio would turn anything into, so it plays at once
    report: NormalizationReport

    @cached_property
    def preview_mp3(self) -> bytes:
        """An MP3 of the same audio for people's browsers; made on first use (one more ffmpeg run)."""
        # Our own WAV as input: trusted, still fed on stdin with the same narrow protocol list.
        arguments = ["-protocol_whitelist", INPUT_PROTOCOLS, "-f", "wav", "-i", "pipe:0"]
        arguments += ["-c:a", "libmp3lame", "-b:a", PREVIEW_BITRATE, "-f", "mp3", "pipe:1"]
        return run_ffmpeg(arguments, self.wav, refuse_as="the preview could not be made")


def _percentile(values: "np.ndarray[Any, Any]", percent: float) -> float:
    """As np.percentile's default (linear between the two nearest ranks), which the command cannot afford: it
    imports numpy.ma on first use, 50 ms of `greetline audio normalize` on a short input (python -X importtime)."""
    ordered = np.sort(values)
    position = (len(ordered) - 1) * percent / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def _check_length(duration_s: float, peak_dbfs: float) -> None:
    if duration_s > MAX_DURATION_S:
        raise RefusedAudio(
            f"the recording is longer than {MAX_DURATION_S / 60:.0f} minutes; upload a shorter one",
            AudioCode.TOO_LONG,
            minutes=round(MAX_DURATION_S / 60),
        )
    if duration_s < MIN_DURATION_S:
        raise RefusedAudio(
            f"the recording is {duration_s:.3f} s; it must be at least {MIN_DURATION_S} s",
            AudioCode.TOO_SHORT,
            seconds=round(duration_s, 3),
            least_s=MIN_DURATION_S,
        )
    if peak_dbfs < DIGITAL_SILENCE_DBFS:
        raise RefusedAudio("the recording is silent; check the microphone and record again", AudioCode.SILENT)


def normalize_greeting(data: bytes, *, kind: Kind = "other", target_lufs: float = TARGET_LUFS) -> NormalizedGreeting:
    lowest, highest = TARGET_RANGE_LUFS
    if not lowest <= target_lufs <= highest:
        raise InvalidTarget(
            f"a loudness target must be {lowest:.0f} to {highest:.0f} LUFS, got {target_lufs:g}",
            AudioCode.TARGET_OUT_OF_RANGE,
            lufs=target_lufs,
        )
    decoded = decode(data)
    rate_hz, mono = TELEPHONE_RATE_HZ, decoded.telephone
    duration_s, source_peak_dbfs = len(mono) / rate_hz, decoded.source_peak_dbfs
    _check_length(duration_s, source_peak_dbfs)
    report = NormalizationReport(
        decoded.format_name,
        round(duration_s, 3),
        decoded.source_rate_hz,
        round(integrated_lufs(mono, rate_hz), 2),
        round(source_peak_dbfs, 2),
    )
    if decoded.source_clipped_places >= CLIPPED_PLACES:
        report.warn(AudioCode.CLIPPED, "the source is clipped (distorted at full scale); record again a little quieter")
    report.step("mono, 8 kHz", f"downmixed, resampled by soxr, peak {sample_peak_dbfs(mono):.1f} dBFS")

    filtered = dsp.high_pass(mono, rate_hz)
    report.step(
        "high-pass",
        f"{dsp.HIGH_PASS_HZ:.0f} Hz, peak {sample_peak_dbfs(mono):.1f} → {sample_peak_dbfs(filtered):.1f} dBFS",
    )
    del decoded, mono  # each step's input is dropped once used: a five-minute signal is 10 MB per copy

    trimmed, cut_start, cut_end = dsp.trim(filtered, rate_hz, KEEP_BEFORE_VOICE_S, KEEP_AFTER_VOICE_S)
    report.trimmed_start_ms, report.trimmed_end_ms = round(cut_start * 1000 / rate_hz), round(cut_end * 1000 / rate_hz)
    report.step(
        "trim", f"{report.trimmed_start_ms} ms of silence cut at the start, {report.trimmed_end_ms} ms at the end"
    )
    if len(trimmed) < MIN_MEASURABLE_S * rate_hz:
        raise RefusedAudio(
            f"less than {MIN_MEASURABLE_S} s of sound is left after silence; record a longer greeting",
            AudioCode.LITTLE_LEFT,
        )
    faded = dsp.fade(trimmed, rate_hz, FADE_IN_S, FADE_OUT_S)
    del filtered, trimmed
    report.step("fades", f"{FADE_IN_S * 1000:.0f} ms in, {FADE_OUT_S * 1000:.0f} ms out")

    levels = frame_levels_db(faded, rate_hz)
    snr_db = _percentile(levels, 95) - _percentile(levels, 10)
    if snr_db < NOISY_SNR_DB:
        report.warn(
            AudioCode.NOISY,
            f"the recording is noisy (voice only {snr_db:.0f} dB above the background); "
            "record in a quieter room, closer to the microphone",
        )

    levelled = level(faded, rate_hz, target_lufs)
    measured = levelled.measured_lufs
    if abs(levelled.lufs - target_lufs) > LOUDNESS_PROMISE_LU:
        raise RefusedAudio(
            f"this recording cannot be brought to {target_lufs:.0f} LUFS (it ends at {levelled.lufs:.1f}): it is "
            "mostly silence, a click or a hum, not a voice; record the greeting again",
            AudioCode.NOT_A_VOICE,
        )
    report.gain_db, report.limiter_reduction_db = round(levelled.gain_db, 2), round(levelled.limiter_reduction_db, 2)
    report.output_lufs, report.output_true_peak_dbtp = round(levelled.lufs, 2), round(levelled.true_peak_dbtp, 2)
    report.step(
        "loudness",
        f"{measured:.1f} → {levelled.lufs:.1f} LUFS (gain {levelled.gain_db:+.1f} dB, {levelled.tries} tries)",
    )
    report.step(
        "limiter",
        f"true peak {levelled.true_peak_dbtp:.1f} dBTP, at most {levelled.limiter_reduction_db:.1f} dB of gain cut",
    )
    report.duration_s = round(len(levelled.mulaw) / rate_hz, 3)
    longest = LONGEST_S.get(kind)
    if longest is not None and report.duration_s > longest:
        report.warn(
            AudioCode.LONG_FOR_KIND,
            f"a {kind} of {report.duration_s:.0f} s is long; keep it under {longest:.0f} s",
            seconds=round(report.duration_s),
            most=round(longest),
        )
    return NormalizedGreeting(mulaw_wav(levelled.mulaw), report)

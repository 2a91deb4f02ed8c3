"""A greeting as callers should hear it: mono, telephone band, -19 LUFS, no clipping, no dead air.

Measure, then apply: each step is measured before and after and reported. Blocking (ffmpeg, numpy): run it
in the CLI, a job or a worker thread, never on the event loop.
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np

from audio import dsp, mulaw
from audio.errors import RefusedAudio
from audio.ffmpeg import INPUT_PROTOCOLS, SEEKABLE_INPUT_PROTOCOLS, run_ffmpeg
from audio.measure import (
    MIN_MEASURABLE_S,
    Signal,
    clipped_runs,
    frame_levels_db,
    integrated_lufs,
    sample_peak_dbfs,
    true_peak_dbtp,
)
from audio.report import NormalizationReport
from audio.sniff import sniff
from audio.wav import TELEPHONE_RATE_HZ, mulaw_wav, read_float_wav

Kind = Literal["welcome", "info", "other"]

TARGET_LUFS = -19.0
PEAK_CEILING_DBTP = -1.5
LOUDNESS_TOLERANCE_LU = 0.05  # how close the loop gets before stopping
LOUDNESS_PROMISE_LU = 0.5  # what every stored greeting meets, or it is refused
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MIN_DURATION_S = 0.5
MAX_DURATION_S = 300.0
MIN_INPUT_RATE_HZ = 8000
MAX_INPUT_RATE_HZ = 192000
KEEP_BEFORE_VOICE_S = 0.2
KEEP_AFTER_VOICE_S = 0.3
FADE_IN_S = 0.01
FADE_OUT_S = 0.05
# Longer than this, callers stop listening (see the greeting checker).
LONGEST_S: dict[str, float] = {"welcome": 10.0, "info": 30.0}
DIGITAL_SILENCE_DBFS = -70.0
NOISY_SNR_DB = 20.0
PREVIEW_BITRATE = "32k"


@dataclass(frozen=True)
class NormalizedGreeting:
    wav: bytes  # 8 kHz mono 8-bit μ-law WAV: what Twilio would turn anything into, so it plays at once
    preview_mp3: bytes
    report: NormalizationReport


def decode(data: bytes) -> tuple[Signal, str, int]:
    """Untrusted bytes to a mono float signal at their own rate; the format is sniffed, then forced."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise RefusedAudio(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; upload a shorter recording")
    found = sniff(data)
    refusal = f"this {found.name} file cannot be decoded"
    streamed = run_ffmpeg(
        [
            "-protocol_whitelist",
            SEEKABLE_INPUT_PROTOCOLS if found.needs_seeking else INPUT_PROTOCOLS,
            # The cache reads only 64 kB ahead by default; an MP4 index after the audio lies further on.
            *(["-read_ahead_limit", "-1"] if found.needs_seeking else []),
            "-f",
            found.demuxer,
            "-i",
            "cache:pipe:0" if found.needs_seeking else "pipe:0",
            "-map",
            "0:a:0",
            "-t",
            f"{MAX_DURATION_S + 1:.0f}",
            "-ac",
            "1",
            "-c:a",
            "pcm_f32le",
            "-f",
            "wav",
            "pipe:1",
        ],
        data,
        refuse_as=refusal,
    )
    try:
        samples, rate_hz = read_float_wav(streamed)
    except ValueError:
        raise RefusedAudio(f"{refusal}: no audio came out of it") from None
    if not MIN_INPUT_RATE_HZ <= rate_hz <= MAX_INPUT_RATE_HZ:
        raise RefusedAudio(f"{refusal}: a sample rate of {rate_hz} Hz; export it at 8 to 192 kHz")
    signal = np.frombuffer(samples, dtype="<f4").astype(np.float64)
    if not np.isfinite(signal).all():
        raise RefusedAudio(f"{refusal}: it holds invalid samples (not numbers); export it again")
    # Float files may go beyond full scale; one wild sample must not dwarf the voice in every measurement.
    return np.clip(signal, -1.0, 1.0), found.name, rate_hz


def _check_length(signal: Signal, rate_hz: int) -> float:
    duration_s = len(signal) / rate_hz
    if duration_s > MAX_DURATION_S:
        raise RefusedAudio(f"the recording is longer than {MAX_DURATION_S / 60:.0f} minutes; upload a shorter one")
    if duration_s < MIN_DURATION_S:
        raise RefusedAudio(f"the recording is {duration_s:.3f} s; it must be at least {MIN_DURATION_S} s")
    if sample_peak_dbfs(signal) < DIGITAL_SILENCE_DBFS:
        raise RefusedAudio("the recording is silent; check the microphone and record again")
    return duration_s


def _loudness_and_peak(signal: Signal, rate_hz: int, gain_db: float, ceiling_dbtp: float) -> tuple[Signal, float]:
    limited, reduction_db = dsp.limit(signal * 10 ** (gain_db / 20), rate_hz, 10 ** (ceiling_dbtp / 20))
    return limited, reduction_db


def normalize_greeting(data: bytes, *, kind: Kind = "other", target_lufs: float = TARGET_LUFS) -> NormalizedGreeting:
    source, name, rate_hz = decode(data)
    duration_s = _check_length(source, rate_hz)
    report = NormalizationReport(
        name,
        round(duration_s, 3),
        rate_hz,
        round(integrated_lufs(source, rate_hz), 2),
        round(sample_peak_dbfs(source), 2),
    )
    if clipped_runs(source) >= 3:
        report.warnings.append("the source is clipped (distorted at full scale); record again a little quieter")

    mono = dsp.resample(source, rate_hz, TELEPHONE_RATE_HZ)
    rate_hz = TELEPHONE_RATE_HZ
    report.step(
        "mono, 8 kHz", f"downmixed and resampled with an anti-alias filter, peak {sample_peak_dbfs(mono):.1f} dBFS"
    )

    filtered = dsp.high_pass(mono, rate_hz)
    report.step(
        "high-pass",
        f"{dsp.HIGH_PASS_HZ:.0f} Hz, peak {sample_peak_dbfs(mono):.1f} → {sample_peak_dbfs(filtered):.1f} dBFS",
    )

    trimmed, cut_start, cut_end = dsp.trim(filtered, rate_hz, KEEP_BEFORE_VOICE_S, KEEP_AFTER_VOICE_S)
    report.trimmed_start_ms, report.trimmed_end_ms = round(cut_start * 1000 / rate_hz), round(cut_end * 1000 / rate_hz)
    report.step(
        "trim", f"{report.trimmed_start_ms} ms of silence cut at the start, {report.trimmed_end_ms} ms at the end"
    )
    if len(trimmed) < MIN_MEASURABLE_S * rate_hz:
        raise RefusedAudio(f"less than {MIN_MEASURABLE_S} s of sound is left after silence; record a longer greeting")
    faded = dsp.fade(trimmed, rate_hz, FADE_IN_S, FADE_OUT_S)

    levels = frame_levels_db(faded, rate_hz)
    snr_db = float(np.percentile(levels, 95) - np.percentile(levels, 10))
    if snr_db < NOISY_SNR_DB:
        report.warnings.append(
            f"the recording is noisy (voice only {snr_db:.0f} dB above the background); "
            "record in a quieter room, closer to the microphone"
        )

    measured = integrated_lufs(faded, rate_hz)
    if measured <= DIGITAL_SILENCE_DBFS:
        raise RefusedAudio("there is too little sound to measure its loudness; record the greeting again")
    # Measure, apply, measure the μ-law result itself: the limiter and μ-law rounding both move the loudness
    # a little, so the gain is corrected until the stored file is on target.
    gain_db, ceiling_dbtp = target_lufs - measured, PEAK_CEILING_DBTP - 0.3
    encoded, reduction_db, output_lufs, output_peak = b"", 0.0, measured, 0.0
    for _attempt in range(6):
        limited, reduction_db = _loudness_and_peak(faded, rate_hz, gain_db, ceiling_dbtp)
        encoded = mulaw.encode(limited)
        heard = mulaw.decode(encoded)
        output_lufs, output_peak = integrated_lufs(heard, rate_hz), true_peak_dbtp(heard)
        if output_peak > PEAK_CEILING_DBTP:
            ceiling_dbtp -= output_peak - PEAK_CEILING_DBTP + 0.1
            continue
        if abs(output_lufs - target_lufs) <= LOUDNESS_TOLERANCE_LU:
            break
        gain_db += target_lufs - output_lufs
    if abs(output_lufs - target_lufs) > LOUDNESS_PROMISE_LU:
        raise RefusedAudio(
            f"this recording cannot be brought to {target_lufs:.0f} LUFS (it ends at {output_lufs:.1f}): it is mostly "
            "silence, a click or a hum, not a voice; record the greeting again"
        )
    report.gain_db, report.limiter_reduction_db = round(gain_db, 2), round(-reduction_db, 2)
    report.output_lufs, report.output_true_peak_dbtp = round(output_lufs, 2), round(output_peak, 2)
    report.step("loudness", f"{measured:.1f} → {output_lufs:.1f} LUFS (gain {gain_db:+.1f} dB)")
    report.step("limiter", f"true peak {output_peak:.1f} dBTP, at most {-reduction_db:.1f} dB of gain reduction")
    report.duration_s = round(len(encoded) / rate_hz, 3)
    longest = LONGEST_S.get(kind)
    if longest is not None and report.duration_s > longest:
        report.warnings.append(f"a {kind} of {report.duration_s:.0f} s is long; keep it under {longest:.0f} s")
    wav = mulaw_wav(encoded)
    return NormalizedGreeting(wav, _preview_mp3(wav), report)


def _preview_mp3(wav: bytes) -> bytes:
    # Our own WAV as input: trusted, still fed on stdin with the same narrow protocol list.
    return run_ffmpeg(
        [
            "-protocol_whitelist",
            INPUT_PROTOCOLS,
            "-f",
            "wav",
            "-i",
            "pipe:0",
            "-c:a",
            "libmp3lame",
            "-b:a",
            PREVIEW_BITRATE,
            "-f",
            "mp3",
            "pipe:1",
        ],
        wav,
        refuse_as="the preview could not be made",
    )

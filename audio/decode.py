"""Untrusted upload bytes to samples: sniffed, decoded by a bounded ffmpeg, measured rather than believed.

One ffmpeg run writes two streams: the mono source at its own rate (for the input's peak and clipping, which
resampling would hide) and the same mono audio at 8 kHz through soxr's anti-alias filter (for everything else;
pydub's set_frame_rate does not filter and aliases audibly).
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from audio.errors import RefusedAudio
from audio.ffmpeg import INPUT_PROTOCOLS, SEEKABLE_INPUT_PROTOCOLS, run_ffmpeg_two_outputs
from audio.measure import Signal
from audio.sniff import sniff
from audio.targets import MAX_DURATION_S, MAX_UPLOAD_BYTES
from audio.wav import TELEPHONE_RATE_HZ, read_float_wav

MIN_INPUT_RATE_HZ = 8000
MAX_INPUT_RATE_HZ = 192000
_FLOAT_BYTES = 4
# A little over the longest accepted greeting, so "too long" is measured from samples, not from a header.
_DECODE_AT_MOST_S = MAX_DURATION_S + 1
# The source stream may not outgrow the largest file we accept at the highest rate (about 230 MB of samples);
# a tiny file claiming a huge rate is cut here, then refused for its rate.
_SOURCE_AT_MOST_BYTES = int(_DECODE_AT_MOST_S * MAX_INPUT_RATE_HZ * _FLOAT_BYTES) + 4096
# Clipped to full scale first (float files may hold wild values, and a resampler would spread one over many
# samples), then soxr at its default 20-bit precision: stopband far below μ-law's own noise.
_TO_TELEPHONE = f"asoftclip=type=hard,aresample={TELEPHONE_RATE_HZ}:resampler=soxr"


@dataclass(frozen=True)
class Decoded:
    format_name: str
    source: NDArray[np.float32]  # mono, at the source rate, clipped to full scale
    source_rate_hz: int
    telephone: Signal  # mono, 8 kHz


def _arguments(demuxer: str, seekable: bool, telephone_url: str) -> list[str]:
    limit = f"{_DECODE_AT_MOST_S:.0f}"
    return [
        *("-protocol_whitelist", SEEKABLE_INPUT_PROTOCOLS if seekable else INPUT_PROTOCOLS),
        # The cache reads only 64 kB ahead by default; an MP4 index after the audio lies further on.
        *(["-read_ahead_limit", "-1"] if seekable else []),
        *("-f", demuxer, "-i", "cache:pipe:0" if seekable else "pipe:0"),
        "-filter_complex",
        f"[0:a:0]aformat=sample_fmts=flt:channel_layouts=mono,asplit=2[source][phone];[phone]{_TO_TELEPHONE}[tel]",
        *("-map", "[source]", "-t", limit, "-fs", str(_SOURCE_AT_MOST_BYTES), "-c:a", "pcm_f32le", "-f", "wav"),
        "pipe:1",
        *("-map", "[tel]", "-t", limit, "-c:a", "pcm_f32le", "-f", "f32le", telephone_url),
    ]


def decode(data: bytes) -> Decoded:
    if len(data) > MAX_UPLOAD_BYTES:
        raise RefusedAudio(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; upload a shorter recording")
    found = sniff(data)
    refusal = f"this {found.name} file cannot be decoded"
    source_wav, telephone_raw = run_ffmpeg_two_outputs(
        lambda telephone_url: _arguments(found.demuxer, found.needs_seeking, telephone_url), data, refuse_as=refusal
    )
    try:
        samples, rate_hz = read_float_wav(source_wav)
    except ValueError:
        raise RefusedAudio(f"{refusal}: no audio came out of it") from None
    if not MIN_INPUT_RATE_HZ <= rate_hz <= MAX_INPUT_RATE_HZ:
        raise RefusedAudio(f"{refusal}: a sample rate of {rate_hz} Hz; export it at 8 to 192 kHz")
    source = np.frombuffer(samples, dtype="<f4")
    telephone = np.frombuffer(telephone_raw[: len(telephone_raw) // _FLOAT_BYTES * _FLOAT_BYTES], dtype="<f4")
    if not np.isfinite(source).all():  # the telephone stream was clipped, which turns these into full scale
        raise RefusedAudio(f"{refusal}: it holds invalid samples (not numbers); export it again")
    # Float files may go beyond full scale; one wild sample must not dwarf the voice in every measurement.
    return Decoded(found.name, np.clip(source, -1.0, 1.0), rate_hz, np.clip(telephone.astype(np.float64), -1.0, 1.0))

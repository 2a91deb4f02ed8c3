"""Untrusted upload bytes to samples: sniffed, decoded by a bounded ffmpeg, measured rather than believed.

One ffmpeg run writes two streams: the mono source at its own rate (for the input's peak and clipping, which
resampling would hide) and the same mono audio at 8 kHz through soxr's anti-alias filter (for everything else;
pydub's set_frame_rate does not filter and aliases audibly). The source stream is measured chunk by chunk as it
arrives and never kept: at 192 kHz, five minutes of it are 230 MB. Memory stays bounded whatever the file
claims: ffmpeg stops after the longest accepted duration, and only the 8 kHz stream (10 MB at most) is kept.
"""

from dataclasses import dataclass

import numpy as np

from audio.errors import AudioCode, RefusedAudio
from audio.ffmpeg import INPUT_PROTOCOLS, SEEKABLE_INPUT_PROTOCOLS, run_ffmpeg_streaming
from audio.measure import PeakAndClipping, Signal, to_db
from audio.sniff import sniff
from audio.targets import MAX_DURATION_S, MAX_UPLOAD_BYTES
from audio.wav import TELEPHONE_RATE_HZ, float_wav_header

MIN_INPUT_RATE_HZ = 8000
MAX_INPUT_RATE_HZ = 192000
_FLOAT_BYTES = 4
# A little over the longest accepted greeting, so "too long" is measured from samples, not from a header.
_DECODE_AT_MOST_S = MAX_DURATION_S + 1
# ffmpeg's own WAV header is well under this; anything longer is not the stream we asked for.
_HEADER_AT_MOST_BYTES = 4096
# Clipped to full scale first (float files may hold wild values, and a resampler would spread one over many
# samples), then soxr at its default 20-bit precision: stopband far below μ-law's own noise.
_TO_TELEPHONE = f"asoftclip=type=hard,aresample={TELEPHONE_RATE_HZ}:resampler=soxr"


@dataclass(frozen=True)
class Decoded:
    format_name: str
    source_rate_hz: int
    source_peak_dbfs: float  # of the source, clipped to full scale
    source_clipped_places: int  # runs of samples at full scale in the source
    telephone: Signal  # mono, 8 kHz, float32, clipped to full scale


def _arguments(demuxer: str, seekable: bool, telephone_url: str) -> list[str]:
    limit = f"{_DECODE_AT_MOST_S:.0f}"
    return [
        *("-protocol_whitelist", SEEKABLE_INPUT_PROTOCOLS if seekable else INPUT_PROTOCOLS),
        # The cache reads only 64 kB ahead by default; an MP4 index after the audio lies further on.
        *(["-read_ahead_limit", "-1"] if seekable else []),
        *("-f", demuxer, "-i", "cache:pipe:0" if seekable else "pipe:0"),
        "-filter_complex",
        f"[0:a:0]aformat=sample_fmts=flt:channel_layouts=mono,asplit=2[source][phone];[phone]{_TO_TELEPHONE}[tel]",
        *("-map", "[source]", "-t", limit, "-c:a", "pcm_f32le", "-f", "wav", "pipe:1"),
        *("-map", "[tel]", "-t", limit, "-c:a", "pcm_f32le", "-f", "f32le", telephone_url),
    ]


class _SourceReader:
    """Reads ffmpeg's source WAV stream as it comes: the rate from its header, then peak and clipping."""

    def __init__(self, refusal: str) -> None:
        self.refusal = refusal
        self.rate_hz = 0
        self.stats = PeakAndClipping()
        self._pending = b""  # header bytes, or the part of a sample split between two chunks

    def __call__(self, chunk: bytes) -> None:
        data = self._pending + chunk
        if not self.rate_hz:
            try:
                header = float_wav_header(data)
            except ValueError:
                raise RefusedAudio(f"{self.refusal}: no audio came out of it", AudioCode.NO_AUDIO) from None
            if header is None:
                if len(data) > _HEADER_AT_MOST_BYTES:
                    raise RefusedAudio(f"{self.refusal}: no audio came out of it", AudioCode.NO_AUDIO)
                self._pending = data
                return
            start, self.rate_hz = header
            if not MIN_INPUT_RATE_HZ <= self.rate_hz <= MAX_INPUT_RATE_HZ:  # refused before decoding the rest
                raise RefusedAudio(
                    f"{self.refusal}: a sample rate of {self.rate_hz} Hz; export it at 8 to 192 kHz",
                    AudioCode.SAMPLE_RATE,
                    rate_hz=self.rate_hz,
                )
            data = data[start:]
        whole = len(data) // _FLOAT_BYTES * _FLOAT_BYTES
        samples, self._pending = np.frombuffer(data, dtype="<f4", count=whole // _FLOAT_BYTES), data[whole:]
        if not np.isfinite(samples).all():  # the telephone stream was clipped, which turns these into full scale
            raise RefusedAudio(
                f"{self.refusal}: it holds invalid samples (not numbers); export it again", AudioCode.INVALID_SAMPLES
            )
        self.stats.add(samples)


def decode(data: bytes) -> Decoded:
    if len(data) > MAX_UPLOAD_BYTES:
        raise RefusedAudio(
            f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; upload a shorter recording",
            AudioCode.TOO_LARGE,
            mb=MAX_UPLOAD_BYTES // 2**20,
        )
    found = sniff(data)
    refusal = f"this {found.name} file cannot be decoded"
    source = _SourceReader(refusal)
    telephone_raw = run_ffmpeg_streaming(
        lambda telephone_url: _arguments(found.demuxer, found.needs_seeking, telephone_url),
        data,
        source,
        refuse_as=refusal,
    )
    if not source.rate_hz:
        raise RefusedAudio(f"{refusal}: no audio came out of it", AudioCode.NO_AUDIO)
    source.stats.finish()
    telephone = np.frombuffer(telephone_raw, dtype="<f4", count=len(telephone_raw) // _FLOAT_BYTES)
    # Float files may go beyond full scale; one wild sample must not dwarf the voice in every measurement.
    np.clip(telephone, -1.0, 1.0, out=telephone)  # in the bytes ffmpeg wrote: no copy
    return Decoded(
        found.name, source.rate_hz, to_db(min(1.0, source.stats.peak)), source.stats.clipped_places, telephone
    )

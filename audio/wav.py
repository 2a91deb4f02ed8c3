"""WAV files: writing the μ-law file Twilio plays without converting anything, and reading any WAV's length."""

import struct

TELEPHONE_RATE_HZ = 8000
WAVE_FORMAT_MULAW = 7


def mulaw_wav(mulaw: bytes, rate_hz: int = TELEPHONE_RATE_HZ) -> bytes:
    """RIFF/WAVE, format 7 (μ-law), 8-bit, mono, with the 'fact' chunk non-PCM WAV files carry."""
    fmt = struct.pack("<HHIIHHH", WAVE_FORMAT_MULAW, 1, rate_hz, rate_hz, 1, 8, 0)
    fact = struct.pack("<I", len(mulaw))
    pad = b"\x00" if len(mulaw) % 2 else b""
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<I", 4) + fact
    chunks += b"data" + struct.pack("<I", len(mulaw)) + mulaw + pad
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def wav_duration_s(data: bytes) -> float | None:
    """Duration of a RIFF/WAVE file from its fmt and data chunks (μ-law included, which `wave` refuses)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    offset, byte_rate, data_size = 12, 0, None
    while offset + 8 <= len(data):
        chunk_id, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        if chunk_id == b"fmt " and size >= 12:
            byte_rate = struct.unpack("<I", data[offset + 16 : offset + 20])[0]
        elif chunk_id == b"data":
            data_size = min(size, len(data) - offset - 8)
            break
        offset += 8 + size + (size % 2)
    if not byte_rate or data_size is None:
        return None
    return float(data_size) / byte_rate


def float_wav_header(head: bytes) -> tuple[int, int] | None:
    """Where the samples start and the rate, from the start of a float WAV that ffmpeg streams (its size fields
    may be unset); None while `head` is too short to tell. ValueError if it is not a WAV stream."""
    if len(head) >= 12 and (head[:4] != b"RIFF" or head[8:12] != b"WAVE"):
        raise ValueError("not a WAV stream")
    offset, rate_hz = 12, 0
    while offset + 8 <= len(head):
        chunk_id, size = head[offset : offset + 4], struct.unpack("<I", head[offset + 4 : offset + 8])[0]
        if chunk_id == b"data":
            if not rate_hz:
                raise ValueError("no format before the samples in the WAV stream")
            return offset + 8, rate_hz
        if chunk_id == b"fmt ":
            if len(head) < offset + 16:
                return None
            rate_hz = struct.unpack("<I", head[offset + 12 : offset + 16])[0]
        offset += 8 + size + (size % 2)
    return None


def read_mulaw_wav(data: bytes) -> bytes | None:
    """The μ-law bytes of a WAV this store wrote: exactly the data chunk's size, never its pad byte or a chunk
    that follows; None for anything else (another format, or no data chunk)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    offset, audio_format = 12, None
    while offset + 8 <= len(data):
        chunk_id, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        if chunk_id == b"fmt " and size >= 2:
            audio_format = struct.unpack("<H", data[offset + 8 : offset + 10])[0]
        elif chunk_id == b"data":
            return data[offset + 8 : offset + 8 + size] if audio_format == WAVE_FORMAT_MULAW else None
        offset += 8 + size + (size % 2)
    return None

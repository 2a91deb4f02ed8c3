"""What an upload really is, judged from its first bytes, never from its name or its own claims.

Only container formats on this allowlist reach a decoder, and each is forced by name, so ffmpeg never
guesses: a playlist (HLS), a concat script or anything else with references inside is refused here.
"""

from dataclasses import dataclass

from audio.errors import AudioCode, RefusedAudio

ACCEPTED = "WAV, MP3, M4A/AAC, OGG/Opus, FLAC or WebM"


@dataclass(frozen=True)
class SniffedFormat:
    name: str  # for people and reports
    demuxer: str  # ffmpeg's input format, forced with -f
    needs_seeking: bool = False


def _is_mp3_frame(head: bytes) -> bool:
    # MPEG audio frame sync: 11 set bits, then a layer field that is not "reserved" (layer III = 01).
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06) == 0x02


def _is_adts(head: bytes) -> bool:
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0


def sniff(data: bytes) -> SniffedFormat:
    head = data[:64]
    if not data:
        raise RefusedAudio(f"the file is empty; upload a recording ({ACCEPTED})", AudioCode.EMPTY)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return SniffedFormat("WAV", "wav")
    if head[:3] == b"ID3" or _is_mp3_frame(head):
        return SniffedFormat("MP3", "mp3")
    if head[:4] == b"OggS":
        return SniffedFormat("Ogg", "ogg")
    if head[:4] == b"fLaC":
        return SniffedFormat("FLAC", "flac")
    if head[4:8] == b"ftyp":
        return SniffedFormat("MP4/M4A", "mov", needs_seeking=True)
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return SniffedFormat("WebM/Matroska", "matroska")
    if _is_adts(head):
        return SniffedFormat("AAC", "aac")
    text = head.lstrip().lower()
    if text.startswith((b"#extm3u", b"ffconcat", b"#ext")):
        raise RefusedAudio(
            f"this is a playlist or script, not a recording; upload the audio itself ({ACCEPTED})", AudioCode.PLAYLIST
        )
    raise RefusedAudio(f"this is not an audio format we accept; export it as {ACCEPTED}", AudioCode.NOT_AUDIO)

"""The ffmpeg boundary: bounded subprocesses fed on stdin, never given a path or a URL to open."""

import shutil
import subprocess

from audio.errors import AudioToolFailed, RefusedAudio

# ffmpeg may read only the pipe we feed: no file, http, hls, concat or anything else a crafted input might name.
INPUT_PROTOCOLS = "pipe"
# MP4/M4A files often keep their index at the end; ffmpeg's in-memory "cache:" makes the pipe seekable for them.
# Only for them: on other formats the cache garbled the last second (seen with WAV).
SEEKABLE_INPUT_PROTOCOLS = "cache,pipe"
# Decoding 5 minutes of any accepted format takes well under a second here; this bounds a hostile input.
DECODE_TIMEOUT_S = 30.0


def ffmpeg_path() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise AudioToolFailed("ffmpeg is not installed; run `make setup` (it installs Debian's ffmpeg)")
    return path


def run_ffmpeg(arguments: list[str], stdin: bytes, *, timeout_s: float = DECODE_TIMEOUT_S, refuse_as: str) -> bytes:
    """Run ffmpeg with `arguments`, feeding `stdin`; returns stdout. Failure refuses the input with `refuse_as`."""
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-nostats", *arguments]
    try:
        result = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise RefusedAudio(
            f"{refuse_as}: decoding took longer than {timeout_s:.0f} s; export it again as WAV or MP3"
        ) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1][:160] if detail else f"ffmpeg exited with {result.returncode}"
        raise RefusedAudio(f"{refuse_as}: {reason}")
    return result.stdout

"""The ffmpeg boundary: bounded subprocesses fed on stdin, never given a path or a URL to open."""

import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from typing import BinaryIO

from audio.errors import AudioCode, AudioToolFailed, RefusedAudio

# ffmpeg may read only the pipe we feed: no file, http, hls, concat or anything else a crafted input might name.
INPUT_PROTOCOLS = "pipe"
# MP4/M4A files often keep their index at the end; ffmpeg's in-memory "cache:" makes the pipe seekable for them.
# Only for them: on other formats the cache garbled the last second (seen with WAV).
SEEKABLE_INPUT_PROTOCOLS = "cache,pipe"
# Decoding 5 minutes of any accepted format takes well under a second here; this bounds a hostile input.
DECODE_TIMEOUT_S = 30.0
_READ_CHUNK_BYTES = 1 << 20
# Larger pipes than the 64 kB default: fewer wake-ups while megabytes of samples stream out.
_PIPE_BYTES = 1 << 20


def ffmpeg_path() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise AudioToolFailed(
            "ffmpeg is not installed; run `make setup` (it installs Debian's ffmpeg)", AudioCode.TOOL_MISSING
        )
    return path


def _command(arguments: list[str]) -> list[str]:
    return [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-nostats", *arguments]


def _refuse_on_failure(returncode: int, stderr: bytes, refuse_as: str) -> None:
    if returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1][:160] if detail else f"ffmpeg exited with {returncode}"
        raise RefusedAudio(f"{refuse_as}: {reason}", AudioCode.UNDECODABLE)


def _timed_out(refuse_as: str, timeout_s: float) -> RefusedAudio:
    return RefusedAudio(
        f"{refuse_as}: decoding took longer than {timeout_s:.0f} s; export it again as WAV or MP3",
        AudioCode.DECODE_TIMEOUT,
        seconds=round(timeout_s),
    )


def run_ffmpeg(arguments: list[str], stdin: bytes, *, timeout_s: float = DECODE_TIMEOUT_S, refuse_as: str) -> bytes:
    """Run ffmpeg with `arguments`, feeding `stdin`; returns stdout. Failure refuses the input with `refuse_as`."""
    try:
        result = subprocess.run(_command(arguments), input=stdin, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise _timed_out(refuse_as, timeout_s) from None
    _refuse_on_failure(result.returncode, result.stderr, refuse_as)
    return result.stdout


def run_ffmpeg_streaming(
    arguments: Callable[[str], list[str]],
    stdin: bytes,
    on_stdout: Callable[[bytes], None],
    *,
    timeout_s: float = DECODE_TIMEOUT_S,
    refuse_as: str,
) -> bytearray:
    """One ffmpeg run writing two outputs: stdout handed to `on_stdout` chunk by chunk as it comes (so a long
    output is never held whole; `on_stdout` may raise to stop ffmpeg), and a second pipe, collected and returned.

    `arguments` gets the second pipe's ffmpeg URL ("pipe:N") and returns the argument list. One process
    instead of two saves ffmpeg's start-up and a second decode.
    """
    read_fd, write_fd = os.pipe()
    try:
        process = subprocess.Popen(
            _command(arguments(f"pipe:{write_fd}")),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(write_fd,),
            pipesize=_PIPE_BYTES,
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)  # ffmpeg holds its own copy; ours would keep the reader from ever seeing the end
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    second, errors, timed_out = bytearray(), bytearray(), threading.Event()
    # Each pipe has its own thread (stdout is this one), or ffmpeg blocks on whichever pipe is full.
    helpers = [
        threading.Thread(target=_feed, args=(process.stdin, stdin), daemon=True),
        threading.Thread(target=_collect, args=(os.fdopen(read_fd, "rb", buffering=0), second), daemon=True),
        threading.Thread(target=_collect, args=(process.stderr, errors), daemon=True),
    ]

    def stop_for_time() -> None:
        timed_out.set()
        process.kill()

    watchdog = threading.Timer(timeout_s, stop_for_time)
    for thread in (*helpers, watchdog):
        thread.start()
    try:
        while chunk := process.stdout.read(_READ_CHUNK_BYTES):
            on_stdout(chunk)
    except BaseException:
        process.kill()
        raise
    finally:
        process.stdout.close()
        process.wait()
        watchdog.cancel()
        for thread in helpers:
            thread.join()  # ffmpeg has exited (or been killed), so every pipe is at its end
    if timed_out.is_set():
        raise _timed_out(refuse_as, timeout_s)
    _refuse_on_failure(process.returncode, bytes(errors), refuse_as)
    return second


def _feed(pipe: BinaryIO, data: bytes) -> None:
    try:
        with pipe:
            pipe.write(data)
    except OSError:  # ffmpeg stopped reading: it failed, was stopped, or had read all it needed
        pass


def _collect(pipe: BinaryIO, into: bytearray) -> None:
    with pipe:
        while chunk := pipe.read(_READ_CHUNK_BYTES):
            into += chunk

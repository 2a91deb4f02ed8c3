"""Benchmark: greeting normalisation against ffmpeg-normalize, and its memory, in one run (issue 12's audio rows,
issue 8's decode memory).

Speed: both write 8 kHz mono μ-law WAV at -19 LUFS with true peak at most -1.5 dBTP (ffmpeg-normalize in EBU
mode: two passes of ffmpeg's loudnorm). Ours is timed in-process (`normalize_greeting`, after one warm-up call)
and as the command a user runs (`python -m ivr audio normalize`, start-up included). The three tools take turns
on each input (interleaved), so a busy machine slows all of them alike; the median of RUNS runs counts. Every
output is measured the same way, with references independent of our meter: decoded by ffmpeg, loudness by
pyloudnorm (BS.1770), true peak by scipy's 4x polyphase oversampling.

Memory: peak resident memory (ru_maxrss) of a fresh Python process normalising a recording, of the ffmpeg it
runs, and of ffmpeg-normalize; the web server idle after start-up, beside a bare FastAPI app under uvicorn; a
1.8 MB FLAC holding three hours at 192 kHz, alone and four at once in one process.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from audio.errors import RefusedAudio
from audio.normalize import normalize_greeting
from audio.targets import PEAK_CEILING_DBTP, TARGET_LUFS

REPO = Path(__file__).resolve().parent.parent
FFMPEG_NORMALIZE = Path(sys.executable).parent / "ffmpeg-normalize"
TELEPHONE_RATE_HZ = 8000
RUNS = 3
TIMEOUT_S = 300
CLI_TARGET, IN_PROCESS_TARGET = 2.0, 6.0  # times faster than ffmpeg-normalize, on every input (issue 12)
ERROR_TARGET_LU = 0.05
PEAK_MEMORY_TARGET_MB, IDLE_TARGET_MB, PARALLEL_TARGET_MB = 150, 90, 300
PARALLEL = 4
TEXT = (
    "Goedemiddag, u spreekt met Huisartsenpraktijk De Linde. Wij zijn open van maandag tot en met vrijdag, van "
    "acht uur tot vijf uur. Voor spoed buiten onze openingstijden belt u de huisartsenpost. Wilt u een afspraak "
    "maken, toets dan een. Voor herhaalrecepten toets twee. Voor de assistente toets drie. "
)


@dataclass(frozen=True)
class Input:
    name: str
    duration_s: float
    level_db: float
    rate_hz: int
    suffix: str
    codec: list[str]


INPUTS = [
    Input("1.5 s wav 48k -12 dB", 1.5, -12, 48000, "wav", []),
    Input("2.5 s mp3 44.1k -25 dB", 2.5, -25, 44100, "mp3", []),
    Input("6 s ogg 48k 0 dB", 6, 0, 48000, "ogg", ["-c:a", "libvorbis"]),
    Input("6 s m4a 44.1k -30 dB", 6, -30, 44100, "m4a", ["-c:a", "aac"]),
    Input("20 s mp3 44.1k -6 dB", 20, -6, 44100, "mp3", []),
    Input("20 s wav 48k -20 dB", 20, -20, 48000, "wav", []),
    Input("60 s ogg 48k -12 dB", 60, -12, 48000, "ogg", ["-c:a", "libvorbis"]),
    Input("60 s m4a 44.1k -3 dB", 60, -3, 44100, "m4a", ["-c:a", "aac"]),
]
# "A 5-minute recording": just under the 300 s limit, as an uploaded phone memo (M4A) and as a mono WAV.
FIVE_MINUTES = [
    Input("290 s m4a 44.1k stereo", 290, -12, 44100, "m4a", ["-c:a", "aac"]),
    Input("290 s wav 48k mono", 290, -12, 48000, "wav", ["-ac", "1"]),
]


def _ffmpeg(*arguments: str) -> bytes:
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *arguments]
    return subprocess.run(command, capture_output=True, check=True, timeout=TIMEOUT_S).stdout


def _make(folder: Path, speech: Path, specs: list[Input]) -> list[tuple[Input, Path]]:
    made = []
    for spec in specs:
        path = folder / f"{spec.name.replace(' ', '_')}.{spec.suffix}"
        _ffmpeg("-stream_loop", "-1", "-i", str(speech), "-t", f"{spec.duration_s}", "-af", f"volume={spec.level_db}dB",
                "-ac", "2", "-ar", str(spec.rate_hz), *spec.codec, str(path))  # fmt: skip
        made.append((spec, path))
    return made


def _flac_bomb(folder: Path, speech: Path) -> Path:
    """Issue 8's decompression bomb: 10 s of speech then digital silence, three hours at 192 kHz, about 2 MB."""
    path = folder / "three-hours-192k.flac"
    _ffmpeg("-i", str(speech), "-t", "10", "-af", "apad", "-t", "10800", "-ar", "192000", "-ac", "1",
            "-sample_fmt", "s16", "-c:a", "flac", "-frame_size", "65535", str(path))  # fmt: skip
    return path


def _measure(wav: Path) -> tuple[float, float]:
    if not wav.exists():  # refused: no figures
        return float("nan"), float("nan")
    raw = _ffmpeg("-i", str(wav), "-f", "f32le", "-ac", "1", "-ar", str(TELEPHONE_RATE_HZ), "pipe:1")
    signal = np.frombuffer(raw, dtype="<f4").astype(np.float64)
    lufs = float(pyloudnorm.Meter(TELEPHONE_RATE_HZ).integrated_loudness(signal))
    return lufs, float(20 * np.log10(np.max(np.abs(resample_poly(signal, 4, 1)))))


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _in_process(source: Path, target: Path) -> str:
    """The refusal, if any: a refused input is timed and reported, not dropped."""
    try:
        target.write_bytes(normalize_greeting(source.read_bytes()).wav)
    except RefusedAudio as refused:
        return str(refused)
    return ""


def _cli(source: Path, target: Path) -> None:
    command = [sys.executable, "-m", "ivr", "audio", "normalize", str(source), str(target)]
    subprocess.run(command, capture_output=True, check=False, cwd=REPO, timeout=TIMEOUT_S)


def _ffmpeg_normalize_command(source: Path, target: Path) -> list[str]:
    # -ac 1 is applied before loudnorm measures, so both sides are judged on the same mono signal.
    return [str(FFMPEG_NORMALIZE), str(source), "-o", str(target), "-f", "-q", "-nt", "ebu",
            "-t", f"{TARGET_LUFS}", "-tp", f"{PEAK_CEILING_DBTP}", "-ar", str(TELEPHONE_RATE_HZ), "-ac", "1",
            "-c:a", "pcm_mulaw"]  # fmt: skip


def _ffmpeg_normalize(source: Path, target: Path) -> None:
    subprocess.run(_ffmpeg_normalize_command(source, target), capture_output=True, check=True, timeout=TIMEOUT_S)


def _speed(folder: Path, inputs: list[tuple[Input, Path]]) -> list[dict[str, Any]]:
    rows = []
    _in_process(inputs[0][1], folder / "warm-up.wav")  # imports, tables: not per greeting
    for number, (spec, source) in enumerate(inputs):
        ours, cli, theirs = (folder / f"out{number}-{tool}.wav" for tool in ("ours", "cli", "ffmpeg-normalize"))
        times: dict[str, list[float]] = {"ours": [], "cli": [], "theirs": []}
        for _run in range(RUNS):  # interleaved: each tool once per round
            times["ours"].append(_timed(lambda: _in_process(source, ours)))  # noqa: B023 (called at once)
            times["cli"].append(_timed(lambda: _cli(source, cli)))  # noqa: B023
            times["theirs"].append(_timed(lambda: _ffmpeg_normalize(source, theirs)))  # noqa: B023
        ours_lufs, ours_peak = _measure(ours)
        cli_lufs, _cli_peak = _measure(cli)
        theirs_lufs, theirs_peak = _measure(theirs)
        refusal = _in_process(source, ours)
        assert refusal or abs(cli_lufs - ours_lufs) < 0.01, "the CLI must write what the function returns"
        median = {tool: statistics.median(values) * 1000 for tool, values in times.items()}
        rows.append(
            {
                "input": spec.name,
                "refused": refusal,
                "ours_ms": median["ours"],
                "cli_ms": median["cli"],
                "ffmpeg_normalize_ms": median["theirs"],
                "spread_ms": {tool: [round(min(v) * 1000), round(max(v) * 1000)] for tool, v in times.items()},
                "ours_lufs": ours_lufs,
                "ours_peak_dbtp": ours_peak,
                "ffmpeg_normalize_lufs": theirs_lufs,
                "ffmpeg_normalize_peak_dbtp": theirs_peak,
            }
        )
        print(f"{spec.name}: done", file=sys.stderr, flush=True)
    return rows


_PEAK_PROBE = """
import json, resource, sys, threading
from pathlib import Path
from audio.errors import RefusedAudio
from audio.normalize import normalize_greeting
data, copies, outcomes = Path(sys.argv[1]).read_bytes(), int(sys.argv[2]), []
def one():
    try:
        outcomes.append(f"{normalize_greeting(data).report.duration_s:.0f} s")
    except RefusedAudio as refused:
        outcomes.append(str(refused))
threads = [threading.Thread(target=one) for _ in range(copies)]
for thread in threads: thread.start()
for thread in threads: thread.join()
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"python_mb": peak_kb / 1024,
                  "ffmpeg_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "outcome": sorted(set(outcomes))}))
"""


def _peak_memory(source: Path, copies: int = 1) -> dict[str, Any]:
    """Peak resident memory of a fresh process normalising `source` (`copies` at once, in threads)."""
    command = [sys.executable, "-c", _PEAK_PROBE, str(source), str(copies)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO, timeout=TIMEOUT_S)
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _ffmpeg_normalize_memory(source: Path, folder: Path) -> float:
    """Largest resident memory among ffmpeg-normalize and the ffmpeg processes it runs, in MB."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    command = [sys.executable, "-c", probe, *_ffmpeg_normalize_command(source, folder / "fn-memory.wav")]
    return float(subprocess.run(command, capture_output=True, text=True, check=True, timeout=TIMEOUT_S).stdout)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _serving(command: list[str], port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"{command} did not start") from None
                time.sleep(0.1)  # polling a server that is starting: the benchmark, not a test
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


BARE = """
import sys, uvicorn
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
app = FastAPI()
@app.get("/healthz")
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


# Installed only with the dev extras (schemathesis, pytest), yet imported by httpx at start when present (its
# command-line client): a production install (`pip install .`, the Dockerfile) has neither.
DEV_ONLY = ("rich", "pygments")
_SERVE_WITHOUT_DEV = (
    "import sys\n"
    "sys.modules.update(dict.fromkeys(sys.argv.pop(1).split(',')))  # None: importing them fails, as when absent\n"
    "from ivr.cli import main\n"
    "sys.exit(main(sys.argv[1:]))"
)


def _idle_memory(folder: Path) -> dict[str, float]:
    env = {**os.environ, "GREETLINE_DATABASE_URL": f"sqlite:///{folder / 'idle.db'}",
           "GREETLINE_MEDIA_DIR": str(folder / "media"), "PYTHONPATH": str(REPO)}  # fmt: skip
    found = {}
    serve = ["serve", "--insecure-dev-mode", "--log-level", "warning", "--port"]
    for key, start in (
        ("greetline_mb", [sys.executable, "-m", "ivr"]),
        ("greetline_without_dev_mb", [sys.executable, "-c", _SERVE_WITHOUT_DEV, ",".join(DEV_ONLY)]),
    ):
        port = _free_port()
        with _serving([*start, *serve, str(port)], port, env) as server:
            found[key] = _rss_mb(server.pid)
    port = _free_port()
    with _serving([sys.executable, "-c", BARE, str(port)], port, env) as server:
        found["bare_fastapi_mb"] = _rss_mb(server.pid)
    return found


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-normalize-") as temporary:
        folder = Path(temporary)
        speech = folder / "speech.wav"
        subprocess.run(["espeak-ng", "-v", "nl", "-w", str(speech), TEXT * 3], check=True, timeout=TIMEOUT_S)
        rows = _speed(folder, _make(folder, speech, INPUTS))
        memory = []
        for spec, source in _make(folder, speech, FIVE_MINUTES):
            memory.append({"input": spec.name, "ours": _peak_memory(source),
                           "ffmpeg_normalize_mb": _ffmpeg_normalize_memory(source, folder)})  # fmt: skip
        bomb = _flac_bomb(folder, speech)
        bombs = {
            "size_mb": bomb.stat().st_size / 2**20,
            "one": _peak_memory(bomb),
            "four": _peak_memory(bomb, PARALLEL),
        }
        print("memory: done", file=sys.stderr, flush=True)
        return {"speed": rows, "memory": memory, "bomb": bombs, "idle": _idle_memory(folder)}


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(results: dict[str, Any]) -> str:
    rows = results["speed"]
    lines = [
        "| input | ours in-process (ms) | ours command (ms) | ffmpeg-normalize (ms) | command speed-up "
        "| in-process speed-up | ours LUFS | ours dBTP | ffmpeg-normalize LUFS | ffmpeg-normalize dBTP |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours = "refused | " if row["refused"] else f"{row['ours_lufs']:.2f} | {row['ours_peak_dbtp']:.2f}"
        lines.append(
            f"| {row['input']} | {row['ours_ms']:.0f} | {row['cli_ms']:.0f} | {row['ffmpeg_normalize_ms']:.0f} "
            f"| {row['ffmpeg_normalize_ms'] / row['cli_ms']:.1f}x | {row['ffmpeg_normalize_ms'] / row['ours_ms']:.1f}x "
            f"| {ours} | {row['ffmpeg_normalize_lufs']:.2f} | {row['ffmpeg_normalize_peak_dbtp']:.2f} |"
        )
    accepted = [row for row in rows if not row["refused"]]
    cli_worst = min(row["ffmpeg_normalize_ms"] / row["cli_ms"] for row in rows)
    in_process_worst = min(row["ffmpeg_normalize_ms"] / row["ours_ms"] for row in rows)
    ours_error = max(abs(row["ours_lufs"] - TARGET_LUFS) for row in accepted)
    ours_peak = max(row["ours_peak_dbtp"] for row in accepted)
    lines += [
        "",
        f"- Command vs ffmpeg-normalize, worst input: {cli_worst:.1f}x (target ≥ {CLI_TARGET:.0f}x on every input: "
        f"{_verdict(cli_worst >= CLI_TARGET)}).",
        f"- In-process vs ffmpeg-normalize, worst input: {in_process_worst:.1f}x (target ≥ {IN_PROCESS_TARGET:.0f}x: "
        f"{_verdict(in_process_worst >= IN_PROCESS_TARGET)}).",
        f"- Loudness: at most {ours_error:.2f} LU from {TARGET_LUFS} (target ≤ {ERROR_TARGET_LU}: "
        f"{_verdict(ours_error <= ERROR_TARGET_LU and len(accepted) == len(rows))}); highest true peak "
        f"{ours_peak:.2f} dBTP (ceiling {PEAK_CEILING_DBTP}: {_verdict(ours_peak <= PEAK_CEILING_DBTP)}).",
        "",
        "| peak memory | ours: Python process (MB) | ours: its ffmpeg (MB) | ffmpeg-normalize (largest process, MB) "
        "| outcome |",
        "|---|---|---|---|---|",
    ]
    for row in results["memory"]:
        ours = row["ours"]
        lines.append(
            f"| {row['input']} | {ours['python_mb']:.0f} | {ours['ffmpeg_mb']:.0f} "
            f"| {row['ffmpeg_normalize_mb']:.0f} | {', '.join(ours['outcome'])} |"
        )
    bomb = results["bomb"]
    for label, key in (("one", "one"), (f"{PARALLEL} at once", "four")):
        found = bomb[key]
        lines.append(
            f"| {bomb['size_mb']:.1f} MB FLAC, 3 h at 192 kHz, {label} | {found['python_mb']:.0f} "
            f"| {found['ffmpeg_mb']:.0f} (each) | | {', '.join(found['outcome'])} |"
        )
    idle = results["idle"]
    worst_five = max(row["ours"]["python_mb"] for row in results["memory"])
    four = bomb["four"]["python_mb"] + PARALLEL * bomb["four"]["ffmpeg_mb"]
    lines += [
        "",
        f"- Peak memory normalising a 5-minute recording: {worst_five:.0f} MB (target < {PEAK_MEMORY_TARGET_MB}: "
        f"{_verdict(worst_five < PEAK_MEMORY_TARGET_MB)}).",
        f"- Four 3-hour FLACs at once: {four:.0f} MB with the four ffmpeg processes counted at their peak "
        f"(target < {PARALLEL_TARGET_MB}: {_verdict(four < PARALLEL_TARGET_MB)}).",
        f"- Server memory idle: {idle['greetline_mb']:.0f} MB in this (dev) environment, "
        f"{idle['greetline_without_dev_mb']:.0f} MB without the dev-only {', '.join(DEV_ONLY)} as a production "
        f"install has; bare FastAPI under uvicorn {idle['bare_fastapi_mb']:.0f} MB (target < {IDLE_TARGET_MB}: "
        f"{_verdict(idle['greetline_without_dev_mb'] < IDLE_TARGET_MB)} as installed, "
        f"{_verdict(idle['greetline_mb'] < IDLE_TARGET_MB)} with the dev extras).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))

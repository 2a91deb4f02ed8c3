"""Benchmark: our greeting normalisation against ffmpeg-normalize, on the same generated inputs, same run.

Both write 8 kHz mono μ-law WAV at -19 LUFS with true peak at most -1.5 dBTP (ffmpeg-normalize in EBU mode:
two passes of ffmpeg's loudnorm). Ours is timed in-process (`normalize_greeting`, after one warm-up call) and as
the command a user runs (`python -m ivr audio normalize`, start-up included). Every output is then measured the
same way: decoded to 8 kHz mono float by ffmpeg, loudness by pyloudnorm (BS.1770), true peak 4x oversampled.
Targets: at least 5x faster than ffmpeg-normalize, loudness within 0.1 LU on every input.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio.errors import RefusedAudio
from audio.measure import integrated_lufs, true_peak_dbtp
from audio.normalize import PEAK_CEILING_DBTP, TARGET_LUFS, normalize_greeting

REPO = Path(__file__).resolve().parent.parent
FFMPEG_NORMALIZE = Path(sys.executable).parent / "ffmpeg-normalize"
TELEPHONE_RATE_HZ = 8000
RUNS = 3  # the median of three runs per input and tool
TIMEOUT_S = 120
SPEED_TARGET = 5.0
ERROR_TARGET_LU = 0.1
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


def _ffmpeg(*arguments: str) -> bytes:
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *arguments]
    return subprocess.run(command, capture_output=True, check=True, timeout=TIMEOUT_S).stdout


def _make_inputs(folder: Path) -> list[tuple[Input, Path]]:
    speech = folder / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "nl", "-w", str(speech), TEXT * 3], check=True, timeout=TIMEOUT_S)
    made = []
    for number, spec in enumerate(INPUTS):
        path = folder / f"in{number}.{spec.suffix}"
        _ffmpeg("-i", str(speech), "-t", f"{spec.duration_s}", "-af", f"volume={spec.level_db}dB", "-ac", "2",
                "-ar", str(spec.rate_hz), *spec.codec, str(path))  # fmt: skip
        made.append((spec, path))
    return made


def _measure(wav: Path) -> tuple[float, float]:
    if not wav.exists():  # refused: no figures
        return float("nan"), float("nan")
    raw = _ffmpeg("-i", str(wav), "-f", "f32le", "-ac", "1", "-ar", str(TELEPHONE_RATE_HZ), "pipe:1")
    signal = np.frombuffer(raw, dtype="<f4").astype(np.float64)
    return integrated_lufs(signal, TELEPHONE_RATE_HZ), true_peak_dbtp(signal)


def _median_s(run: Callable[[], object]) -> float:
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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


def _ffmpeg_normalize(source: Path, target: Path) -> None:
    # -ac 1 is applied before loudnorm measures, so both sides are judged on the same mono signal.
    command = [str(FFMPEG_NORMALIZE), str(source), "-o", str(target), "-f", "-q", "-nt", "ebu",
               "-t", f"{TARGET_LUFS}", "-tp", f"{PEAK_CEILING_DBTP}", "-ar", str(TELEPHONE_RATE_HZ), "-ac", "1",
               "-c:a", "pcm_mulaw"]  # fmt: skip
    subprocess.run(command, capture_output=True, check=True, timeout=TIMEOUT_S)


def main() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-normalize-") as temporary:
        folder = Path(temporary)
        inputs = _make_inputs(folder)
        _in_process(inputs[0][1], folder / "warm-up.wav")  # imports, filter design caches: not per greeting
        for number, (spec, source) in enumerate(inputs):
            ours, cli, theirs = (folder / f"out{number}-{tool}.wav" for tool in ("ours", "cli", "ffmpeg-normalize"))
            ours_s = _median_s(lambda: _in_process(source, ours))  # noqa: B023 (called at once, in this iteration)
            cli_s = _median_s(lambda: _cli(source, cli))  # noqa: B023
            theirs_s = _median_s(lambda: _ffmpeg_normalize(source, theirs))  # noqa: B023
            ours_lufs, ours_peak = _measure(ours)
            cli_lufs, _cli_peak = _measure(cli)
            theirs_lufs, theirs_peak = _measure(theirs)
            refusal = _in_process(source, ours)  # once more, untimed, for its refusal if it has one
            assert refusal or abs(cli_lufs - ours_lufs) < 0.01, "the CLI must write what the function returns"
            rows.append(
                {
                    "input": spec.name,
                    "refused": refusal,
                    "ours_ms": ours_s * 1000,
                    "cli_ms": cli_s * 1000,
                    "ffmpeg_normalize_ms": theirs_s * 1000,
                    "ours_lufs": ours_lufs,
                    "ours_peak_dbtp": ours_peak,
                    "ffmpeg_normalize_lufs": theirs_lufs,
                    "ffmpeg_normalize_peak_dbtp": theirs_peak,
                }
            )
            print(f"{spec.name}: done", file=sys.stderr, flush=True)
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| input | ours in-process (ms) | ours CLI (ms) | ffmpeg-normalize (ms) | ours LUFS | ours dBTP "
        "| ffmpeg-normalize LUFS | ffmpeg-normalize dBTP |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours = "refused | " if row["refused"] else f"{row['ours_lufs']:.2f} | {row['ours_peak_dbtp']:.2f}"
        lines.append(
            f"| {row['input']} | {row['ours_ms']:.0f} | {row['cli_ms']:.0f} | {row['ffmpeg_normalize_ms']:.0f} "
            f"| {ours} "
            f"| {row['ffmpeg_normalize_lufs']:.2f} | {row['ffmpeg_normalize_peak_dbtp']:.2f} |"
        )
    refused = [row for row in rows if row["refused"]]
    rows = [row for row in rows if not row["refused"]]  # speed and error: on the inputs both sides normalised
    total = {key: sum(row[key] for row in rows) for key in ("ours_ms", "cli_ms", "ffmpeg_normalize_ms")}
    lines.append(
        f"| **total** | **{total['ours_ms']:.0f}** | **{total['cli_ms']:.0f}** "
        f"| **{total['ffmpeg_normalize_ms']:.0f}** | | | | |"
    )
    lines += ["", *(f"Refused by ours: {row['input']}: {row['refused']}" for row in refused)]
    if refused:
        lines.append("Totals, speed and errors below leave the refused inputs out.")
    ratio_in_process = total["ffmpeg_normalize_ms"] / total["ours_ms"]
    ratio_cli = total["ffmpeg_normalize_ms"] / total["cli_ms"]
    ours_error = max(abs(row["ours_lufs"] - TARGET_LUFS) for row in rows)
    theirs_error = max(abs(row["ffmpeg_normalize_lufs"] - TARGET_LUFS) for row in rows)
    ours_peak = max(row["ours_peak_dbtp"] for row in rows)
    theirs_peak = max(row["ffmpeg_normalize_peak_dbtp"] for row in rows)

    def verdict(met: bool) -> str:
        return "met" if met else "not met"

    lines += [
        "",
        f"**Summary.** Speed: ffmpeg-normalize total / ours = {ratio_in_process:.1f}x in-process, "
        f"{ratio_cli:.1f}x as the CLI "
        f"(target ≥ {SPEED_TARGET:.0f}x: {verdict(ratio_in_process >= SPEED_TARGET)} in-process, "
        f"{verdict(ratio_cli >= SPEED_TARGET)} as the CLI). "
        f"Max loudness error: ours {ours_error:.2f} LU, ffmpeg-normalize {theirs_error:.2f} LU "
        f"(target ≤ {ERROR_TARGET_LU} LU on every input: {verdict(ours_error <= ERROR_TARGET_LU and not refused)} "
        f"by ours{f', {len(refused)} refused' if refused else ''}). "
        f"Highest true peak: ours {ours_peak:.2f} dBTP, ffmpeg-normalize {theirs_peak:.2f} dBTP "
        f"(ceiling {PEAK_CEILING_DBTP} dBTP).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))

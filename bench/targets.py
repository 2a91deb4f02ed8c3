"""Every row of issue 12's and 25's tables in one run: `python -m bench.targets` (about half an hour on a busy
2-core machine).

Runs bench.scale (peak rows with wrk against a bare FastAPI app in its own process; SQLite and PostgreSQL with
10,000 businesses and 1,000,000 calls), `greetline serve` as shipped against `--access-log`, a bulk `greetline
apply` of 10,000 documents, the cold start with 10,000 businesses (bench.against_bare) and bench.bench_normalize
(speed against ffmpeg-normalize, peak and idle memory), then prints the table with each target and whether it is
met. Load from elsewhere on the machine inflates latency far more than throughput ratios or CPU per request: the
load average is printed beside the figures.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import against_bare, bench_normalize, peak, scale
from bench.documents import write_documents
from bench.webhook import PUBLIC_URL, TOKEN, _start_server

SERVE_ROUNDS = 3
DOCUMENTS = 10_000


def serve_access_log() -> dict[str, list[float]]:
    """Peak throughput of `greetline serve` as shipped and with --access-log, interleaved rounds."""
    peaks: dict[str, list[float]] = {"as shipped": [], "--access-log": []}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
        env = {
            **os.environ,
            "GREETLINE_DATABASE_URL": f"sqlite:///{scratch}/serve.db",
            "GREETLINE_PUBLIC_URL": PUBLIC_URL,
            "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
            "GREETLINE_MEDIA_DIR": f"{scratch}/media",
            "GREETLINE_SNAPSHOT_PATH": f"{scratch}/snapshot.json",
        }
        demo = str(scale.DEMO)
        subprocess.run(
            [sys.executable, "-m", "ivr", "apply", "--no-render", demo], env=env, check=True, capture_output=True
        )
        serve = [sys.executable, "-m", "ivr", "serve", "--port", "0", "--log-level", "info"]
        servers = {
            name: _start_server(env, serve + extra)
            for name, extra in (("as shipped", []), ("--access-log", ["--access-log"]))
        }
        try:
            targets = {name: peak.Target(port, "/twilio/voice") for name, (_process, port) in servers.items()}
            for name, rounds in peak.interleaved(targets, rounds=SERVE_ROUNDS).items():
                peaks[name] = [found.requests_per_s for found in rounds]
        finally:
            for process, _port in servers.values():
                process.terminate()
                process.wait(30)
    return peaks


def bulk_apply() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-apply-") as scratch:
        folder = Path(scratch) / "documents"
        write_documents(folder, DOCUMENTS)
        env = {
            **os.environ,
            "GREETLINE_DATABASE_URL": f"sqlite:///{scratch}/apply.db",
            "GREETLINE_MEDIA_DIR": f"{scratch}/media",
            "GREETLINE_SNAPSHOT_PATH": f"{scratch}/snapshot.json",
        }
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "ivr", "apply", "--no-render", str(folder)], env=env, capture_output=True, text=True
        )
        return {
            "seconds": time.perf_counter() - started,
            "exit": result.returncode,
            "summary": result.stdout.strip().splitlines()[-1],
        }


def main() -> dict[str, Any]:
    results: dict[str, Any] = {"load": [os.getloadavg()[0]]}
    results["scale"] = scale.main()
    results["load"].append(os.getloadavg()[0])
    print("scale: done", file=sys.stderr, flush=True)
    results["serve"] = serve_access_log()
    results["apply"] = bulk_apply()
    results["cold_start_s"] = against_bare.cold_start_s()
    results["load"].append(os.getloadavg()[0])
    print("serve, apply: done", file=sys.stderr, flush=True)
    results["audio"] = bench_normalize.main()
    results["load"].append(os.getloadavg()[0])
    return results


def _met(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def report(results: dict[str, Any]) -> str:
    s, audio = results["scale"], results["audio"]
    peak, paced, cpu, api = s["peak_rps"], s["paced"], s["cpu_ms"], s["api"]
    ratios = [ours / bare for ours, bare in zip(peak["SQLite one"], peak["bare app"], strict=True)]
    ratio = statistics.median(ratios)
    shell = statistics.median(peak["bare"]) / statistics.median(peak["bare app"])
    p99 = statistics.median(paced["SQLite one"]["p99_ms"])
    bare_p99 = statistics.median(paced["bare"]["p99_ms"])
    serve = results["serve"]
    shipped, logged = statistics.median(serve["as shipped"]), statistics.median(serve["--access-log"])
    rows = [
        (
            "signed /twilio/voice vs a bare FastAPI app in its own process, 1 worker (wrk peak, median of rounds)",
            f"{ratio:.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f}; CPU/request at peak "
            f"{cpu['peak']['SQLite one']:.3f} vs {cpu['peak']['bare app']:.3f} ms)",
            f"≥ {against_bare.RATIO_TARGET}x",
            _met(ratio >= against_bare.RATIO_TARGET),
        ),
        (
            "the bare route inside Greetline's app vs the bare app in its own process (the shell's cost)",
            f"{shell:.2f}x (the shell costs {1 - shell:.0%})",
            f"≥ {against_bare.SHELL_TARGET}x",
            _met(shell >= against_bare.SHELL_TARGET),
        ),
        (
            f"cold start, {scale.BUSINESSES:,} businesses: `greetline serve` to its first signed call answered",
            f"{results['cold_start_s']:.2f} s",
            f"≤ {against_bare.COLD_START_TARGET_S:g} s",
            _met(results["cold_start_s"] <= against_bare.COLD_START_TARGET_S),
        ),
        (
            "p99 at 500 req/s, open loop (SQLite, one business)",
            f"{p99:.1f} ms (bare endpoint in the same runs {bare_p99:.1f} ms)",
            "< 5 ms",
            _met(p99 < 5),
        ),
        (
            "`greetline serve` as shipped vs `--access-log`",
            f"{shipped:.0f} vs {logged:.0f} req/s",
            "the default is the fast one",
            _met(shipped >= logged),
        ),
    ]
    if "PostgreSQL one" in peak:
        pg = statistics.median(peak["PostgreSQL one"]) / statistics.median(peak["SQLite one"])
        pg_bare = statistics.median(peak["PostgreSQL one"]) / statistics.median(peak["bare app"])
        pg_p99 = statistics.median(paced["PostgreSQL one"]["p99_ms"])
        rows.append(
            ("PostgreSQL vs SQLite (peak)", f"{pg:.2f}x; p99 at 500 req/s {pg_p99:.1f} ms", "≥ 0.8x", _met(pg >= 0.8))
        )
        rows.append(("PostgreSQL vs the bare app (peak)", f"{pg_bare:.2f}x", "≥ 0.7x", _met(pg_bare >= 0.7)))
    for name in ("SQLite", "PostgreSQL"):
        if f"{name} spread" not in paced:
            continue
        spread, one = (statistics.median(paced[f"{name} {k}"]["p99_ms"]) for k in ("spread", "one"))
        rows.append(
            (
                f"calls spread over 10,000 businesses ({name})",
                f"p99 {spread:.1f} ms vs {one:.1f} ms for one (CPU/request at 500/s "
                f"{cpu['paced'][f'{name} spread']:.3f} vs {cpu['paced'][f'{name} one']:.3f} ms)",
                "same p99 as one business",
                _met(spread <= max(one * 1.25, one + 1)),
            )
        )
    for name, found in api.items():
        listing, log_page = found["businesses"]["p99_ms"], found["call_log"]["p99_ms"]
        beside = f" (bare page of 50 in the same runs: p99 {found['bare']['p99_ms']:.2f} ms)"
        rows.append(
            (
                f"GET /api/v1/businesses, 10,000 businesses, key for one ({name})",
                f"p50 {found['businesses']['p50_ms']:.2f}, p99 {listing:.2f} ms{beside}",
                "< 5 ms",
                _met(listing < 5),
            )
        )
        rows.append(
            (
                f"call log, 200,000 calls, newest 50 ({name})",
                f"p50 {found['call_log']['p50_ms']:.2f}, p99 {log_page:.2f} ms{beside}",
                "< 5 ms",
                _met(log_page < 5),
            )
        )
    applied = results["apply"]
    rows.append(
        (
            "`greetline apply DIR`, 10,000 documents",
            f"{applied['seconds']:.0f} s ({applied['summary']})",
            "minutes",
            _met(applied["exit"] == 0 and applied["seconds"] < 600),
        )
    )
    speed = audio["speed"]
    cli = min(row["ffmpeg_normalize_ms"] / row["cli_ms"] for row in speed)
    in_process = min(row["ffmpeg_normalize_ms"] / row["ours_ms"] for row in speed)
    rows.append(
        (
            "`greetline audio normalize` as a command vs ffmpeg-normalize, worst input",
            f"{cli:.1f}x",
            "≥ 2x on every input",
            _met(cli >= 2),
        )
    )
    rows.append(
        (
            "normalisation in-process vs ffmpeg-normalize, worst input",
            f"{in_process:.1f}x",
            "≥ 6x",
            _met(in_process >= 6),
        )
    )
    idle = audio["idle"]
    rows.append(
        (
            "server memory idle (`greetline serve`, SQLite)",
            f"{idle['greetline_without_dev_mb']:.0f} MB as installed ({idle['greetline_mb']:.0f} MB with the dev "
            f"extras, whose {', '.join(bench_normalize.DEV_ONLY)} httpx imports; bare FastAPI "
            f"{idle['bare_fastapi_mb']:.0f} MB)",
            "< 90 MB",
            _met(idle["greetline_without_dev_mb"] < 90),
        )
    )
    five = max(row["ours"]["python_mb"] for row in audio["memory"])
    rows.append(
        (
            "peak memory normalising a 5-minute recording",
            f"{five:.0f} MB (Python process)",
            "< 150 MB",
            _met(five < 150),
        )
    )
    lines = [
        f"Load average (1 min) at start, after each part: {', '.join(f'{value:.1f}' for value in results['load'])} "
        f"on {os.cpu_count()} CPUs.",
        "",
        "| what | measured | target | |",
        "|---|---|---|---|",
        *(f"| {what} | {measured} | {target} | {verdict} |" for what, measured, target, verdict in rows),
        "",
        scale.report(s),
        "",
        bench_normalize.report(audio),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))

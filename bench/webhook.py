"""Benchmark: signed POST /twilio/voice against a bare FastAPI endpoint, one uvicorn worker, same run.

Reports peak throughput (closed loop), measured in interleaved rounds (bare, ours, bare, ours...) so a machine
shared with other work slows both alike, with the ratio's median and spread; and p50/p99 latency at a fixed request
rate (open loop). Targets (issue 12): at least 0.6x the bare endpoint's throughput, p99 under 5 ms at 500 req/s.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from bench.load import LoadResult, run_load

REPO = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-0123456789abcdef0123"
PUBLIC_URL = "http://127.0.0.1:8000"
RATE_RPS = 500
RATE_SECONDS = 20
PEAK_REQUESTS = 5_000
ROUNDS = 5
PEAK_CONNECTIONS = 16
RATE_CONNECTIONS = 32
# Ignore the first requests of each run: connection set-up and first-call caches are not steady state.
WARM_UP = 500


# The demo business's number.
DEMO_NUMBER = "+31501234567"


def _request(path: str, call_number: int, signed: bool, to_number: str = DEMO_NUMBER) -> bytes:
    params = {
        "CallSid": f"CA{call_number:032d}",
        "AccountSid": "ACbench",
        "From": "+31612345678",
        "To": to_number,
        "CallStatus": "ringing",
        "Direction": "inbound",
    }
    body = urlencode(params).encode()
    headers = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1:8000",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
    ]
    if signed:
        signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC_URL}{path}", params)
        headers.append(f"X-Twilio-Signature: {signature}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def _requests(path: str, count: int, signed: bool, offset: int, to_numbers: list[str] | None = None) -> list[bytes]:
    """`to_numbers`: the numbers called in turn (default: the demo business's)."""
    numbers = to_numbers or [DEMO_NUMBER]
    return [_request(path, offset + n, signed, numbers[n % len(numbers)]) for n in range(count)]


SERVER = [
    sys.executable,
    "-m",
    "uvicorn",
    "bench.bench_app:build",
    "--factory",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--workers",
    "1",
    "--log-level",
    "info",
    "--no-access-log",
]


def _start_server(env: dict[str, str], command: list[str] = SERVER) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        match = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
        if match:
            # Keep reading what it logs, so a full pipe never stalls the server mid-measurement.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, int(match.group(1))
    raise RuntimeError("the benchmark server did not start")


def _summary(name: str, peaks: list[LoadResult], paced: LoadResult) -> dict[str, float | str]:
    steady = LoadResult(paced.sent, paced.failed, paced.elapsed_s, paced.latencies_ms[WARM_UP:])
    return {
        "endpoint": name,
        "peak_rps": round(statistics.median(peak.throughput_rps for peak in peaks)),
        "rounds_rps": " ".join(str(round(peak.throughput_rps)) for peak in peaks),
        "p50_ms": round(steady.percentile_ms(0.50), 2),
        "p99_ms": round(steady.percentile_ms(0.99), 2),
        "max_ms": round(max(steady.latencies_ms), 2),
        "failed": sum(peak.failed for peak in peaks) + paced.failed,
    }


def main() -> list[dict[str, float | str]]:
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "GREETLINE_DATABASE_URL": f"sqlite:///{scratch}/bench.db",
            "GREETLINE_PUBLIC_URL": PUBLIC_URL,
            "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
        }
        demo = str(REPO / "examples" / "huisartsenpraktijk-de-linde.yaml")
        setup = [sys.executable, "-m", "ivr", "apply", "--no-render", demo]
        subprocess.run(setup, env=env, check=True, capture_output=True)
        process, port = _start_server(env)
        try:
            rows = []
            paced_count = RATE_RPS * RATE_SECONDS
            endpoints = [
                ("bare FastAPI (awaits the form)", "/bare/voice", False),
                ("/twilio/voice", "/twilio/voice", True),
            ]
            peaks: dict[str, list[LoadResult]] = {name: [] for name, _path, _signed in endpoints}
            for round_number in range(ROUNDS):
                for name, path, signed in endpoints:
                    requests = _requests(path, PEAK_REQUESTS, signed, round_number * PEAK_REQUESTS)
                    peaks[name].append(
                        run_load("127.0.0.1", port, requests, rate_rps=None, connections=PEAK_CONNECTIONS)
                    )
            for name, path, signed in endpoints:
                paced = run_load(
                    "127.0.0.1",
                    port,
                    _requests(path, paced_count, signed, ROUNDS * PEAK_REQUESTS),
                    rate_rps=RATE_RPS,
                    connections=RATE_CONNECTIONS,
                )
                rows.append(_summary(name, peaks[name], paced))
        finally:
            process.terminate()
            process.wait(30)
    return rows


def report(rows: list[dict[str, float | str]]) -> str:
    lines = [
        f"Signed POST /twilio/voice vs a bare endpoint; one uvicorn worker; peak over {ROUNDS} interleaved rounds of "
        f"{PEAK_REQUESTS} requests; {RATE_RPS} req/s for {RATE_SECONDS} s.",
        "",
        "| endpoint | peak throughput, median (req/s) | each round | p50 at 500 req/s (ms) | p99 at 500 req/s (ms) "
        "| max (ms) | failed |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['endpoint']} | {r['peak_rps']} | {r['rounds_rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} "
        f"| {r['failed']} |"
        for r in rows
    ]
    bare, voice = rows
    ratios = [
        int(ours) / int(theirs)
        for ours, theirs in zip(str(voice["rounds_rps"]).split(), str(bare["rounds_rps"]).split(), strict=True)
    ]
    lines.append("")
    lines.append(
        f"Throughput ratio voice/bare per round: median {statistics.median(ratios):.2f}, "
        f"spread {min(ratios):.2f}-{max(ratios):.2f} (target >= 0.6); voice p99 {voice['p99_ms']} ms (target < 5 ms)."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))

"""Peak throughput with wrk: Greetline's signed voice webhook against a bare FastAPI app in its own process.

wrk (the Debian package `wrk`, installed by `make bench`) is a C load generator: on a 2-core machine a Python one
was the bottleneck before the servers were. It runs with 1 thread and 16 connections, and replays signed requests
written into a Lua script (one per CallSid, in turn), so every request carries a valid X-Twilio-Signature. Rounds
are interleaved across the servers (bare, in-app bare, Greetline, bare, ...) so load from elsewhere on the machine
hits all of them alike; each row is the median of its rounds.
"""

import os
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from bench.webhook import DEMO_NUMBER, PUBLIC_URL, TOKEN

WRK_THREADS = 1
WRK_CONNECTIONS = 16
ROUNDS = 3
ROUND_S = 8
# One untimed run per server before the rounds.
WARM_UP_S = 2
# Distinct CallSids replayed in turn: enough that the call log sees many calls, small enough to sign quickly.
SIGNED_REQUESTS = 2_000

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Target:
    """One server to measure: where it listens and the path its requests go to."""

    port: int
    path: str
    # The server's process id: its CPU time per request is measured too (see `cpu_s`).
    pid: int | None = None


@dataclass(frozen=True)
class Round:
    requests_per_s: float
    p99_ms: float
    errors: int
    requests: int = 0
    # The server's CPU milliseconds per request in the round (None: its process was not given).
    cpu_ms: float | None = None


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: run `make bench` (it installs the Debian package wrk)")
    return found


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def signed_forms(path: str, count: int, to_numbers: list[str], offset: int = 0) -> list[tuple[str, str]]:
    """(body, signature) for `count` calls to `path`, CallSids from `offset`, numbers called in turn."""
    validator = RequestValidator(TOKEN)
    forms = []
    for n in range(count):
        params = {
            "CallSid": f"CA{offset + n:032d}",
            "AccountSid": "ACbench",
            "From": "+31612345678",
            "To": to_numbers[n % len(to_numbers)],
            "CallStatus": "ringing",
            "Direction": "inbound",
        }
        forms.append((urlencode(params), validator.compute_signature(f"{PUBLIC_URL}{path}", params)))
    return forms


def lua_script(path: str, forms: list[tuple[str, str]]) -> str:
    """A wrk script that sends the signed forms in turn, over every connection."""
    requests = ",\n".join(
        f"  wrk.format('POST', {_lua_string(path)}, {{['Content-Type'] = 'application/x-www-form-urlencoded', "
        f"['X-Twilio-Signature'] = {_lua_string(signature)}}}, {_lua_string(body)})"
        for body, signature in forms
    )
    return (
        "local requests = nil\nlocal index = 0\n"
        "function init(args)\n requests = {\n" + requests + "\n }\nend\n"
        "function request()\n index = index % #requests + 1\n return requests[index]\nend\n"
    )


def _milliseconds(value: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s)", value)
    if match is None:
        raise ValueError(f"wrk printed a latency it is not known to print: {value!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> Round:
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    p99 = re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE)
    if rate is None or p99 is None:
        raise RuntimeError(f"wrk's output lacks Requests/sec or the 99th percentile:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    requests = re.search(r"(\d+) requests in ", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    failed += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Round(float(rate.group(1)), _milliseconds(p99.group(1)), failed, int(requests.group(1)) if requests else 0)


def cpu_s(pid: int) -> float:
    """CPU time the process and its descendants have used (user + system, all threads; those running and those it
    has reaped): what a request costs the server, which a machine shared with other work does not inflate the way it
    inflates latency. The children count: `greetline serve` stores its call log through one (issue 25)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = _stat(current)
            total += sum(int(field) for field in fields[11:15]) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended meanwhile: its time is with its parent's reaped children
    return total


def own_cpu_s(pid: int) -> float:
    """CPU time of the process alone (all its threads), without its children."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat after the command's name: state, parent, ..., utime (11), stime, cutime, cstime (14)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def measured_round(target: Target, script: Path, duration_s: float) -> Round:
    """A wrk round against `target`, with the server's CPU per request when its process is known."""
    if target.pid is None:
        return run_wrk(target.port, script, duration_s)
    before = cpu_s(target.pid)
    found = run_wrk(target.port, script, duration_s)
    spent_ms = (cpu_s(target.pid) - before) * 1000
    return replace(found, cpu_ms=spent_ms / found.requests if found.requests else None)


def run_wrk(port: int, script: Path, duration_s: float) -> Round:
    command = [
        require_wrk(),
        f"--threads={WRK_THREADS}",
        f"--connections={WRK_CONNECTIONS}",
        f"--duration={max(1, round(duration_s))}s",
        "--latency",
        f"--script={script}",
        f"http://127.0.0.1:{port}",
    ]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def write_script(folder: Path, path: str, to_numbers: list[str] | None = None) -> Path:
    """A wrk script of signed calls to `path` in `folder`, named after what it holds."""
    numbers = to_numbers or [DEMO_NUMBER]
    script = folder / f"{path.strip('/').replace('/', '-')}-{len(numbers)}.lua"
    script.write_text(lua_script(path, signed_forms(path, SIGNED_REQUESTS, numbers)), "utf-8")
    return script


def interleaved(
    targets: dict[str, Target], *, rounds: int = ROUNDS, round_s: float = ROUND_S, to_numbers: list[str] | None = None
) -> dict[str, list[Round]]:
    """Every target's rounds, run in turn: round 1 of each, then round 2 of each, ..."""
    found: dict[str, list[Round]] = {name: [] for name in targets}
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as scratch:
        scripts = {name: write_script(Path(scratch), target.path, to_numbers) for name, target in targets.items()}
        for name, target in targets.items():  # untimed: connections, first-call caches, a server's start-up work
            run_wrk(target.port, scripts[name], WARM_UP_S)
        for _round in range(rounds):
            for name, target in targets.items():
                found[name].append(measured_round(target, scripts[name], round_s))
    return found


def median_rate(rounds: list[Round]) -> float:
    return statistics.median(found.requests_per_s for found in rounds)


def median_p99(rounds: list[Round]) -> float:
    return statistics.median(found.p99_ms for found in rounds)


def median_cpu_ms(rounds: list[Round]) -> float | None:
    measured = [found.cpu_ms for found in rounds if found.cpu_ms is not None]
    return statistics.median(measured) if measured else None


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} CPUs"

"""Issue 25: Greetline's signed voice webhook against a bare FastAPI app running on its own, and the cold start.

`python -m bench.against_bare [--round-s 8] [--rounds 3]` starts three servers, one uvicorn worker each, with the
uvicorn settings `greetline serve` uses:

- the bare app in its own process (bench.bare_app: await the form, answer constant TwiML);
- the same bare route inside Greetline's app (bench.bench_app's `/bare/voice`): the difference between these two
  is what Greetline's app shell costs every request (middleware, routing, exception handling);
- `greetline serve` itself (SQLite, the demo business), answering signed `POST /twilio/voice`;

then measures peak throughput and p99 with wrk in interleaved rounds (bench.peak), each server's CPU time per request
in those rounds, its child processes included (`serve` stores its call log through one; from /proc: on a machine
shared with other work the CPU a request needs is steadier than the requests per second a server got), and the cold
start: `greetline serve` with 10,000 businesses stored, from process
start to its first signed call answered.

`--before DIR`: also `greetline serve` from DIR, an earlier commit's tree (`git archive COMMIT | tar -x -C DIR`), as a
fourth row in the same interleaved rounds, so a change is measured against what it changed under the same load.
`--no-cold-start` leaves the cold start out.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench import cold_start, peak, scale
from bench.cold_start import COLD_START_TARGET_S, SERVE, greetline_env
from bench.peak import Round, Target
from bench.webhook import REPO, _start_server

# Issue 25's targets.
RATIO_TARGET = 0.75
SHELL_TARGET = 0.9
P99_FACTOR_TARGET = 2.0

BARE = "bare FastAPI app, own process"
IN_APP = "bare route inside Greetline's app"
GREETLINE = "signed /twilio/voice, `greetline serve`"
BEFORE = "the same, the earlier tree (--before)"


BARE_APP = [sys.executable, "-m", "bench.bare_app", "--port", "0"]
IN_APP_BARE = [sys.executable, "-m", "bench.bench_app", "--port", "0"]


def _start_in(tree: Path, env: dict[str, str]) -> tuple["subprocess.Popen[str]", int]:
    """`greetline serve` from another tree: its own package first on the path, its own database beside."""
    process = subprocess.Popen(
        [*SERVE, "--port", "0"], env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "Uvicorn running on http://127.0.0.1:" in line:
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, int(line.rsplit(":", 1)[1].split()[0])
    raise RuntimeError(f"`greetline serve` from {tree} did not start")


def peak_rows(
    *, rounds: int, round_s: float, before: Path | None = None, postgres: bool = False
) -> dict[str, list[Round]]:
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as folder, scale.scratch_databases(Path(folder)) as urls:
        scratch = Path(folder)
        url = urls["PostgreSQL" if postgres else "SQLite"]
        if url is None:
            raise SystemExit("PostgreSQL does not answer at 127.0.0.1:5432: run without --postgres")
        env = greetline_env(scratch, url)
        if postgres:  # replicas share it on PostgreSQL, so `serve` asks for one there
            env["GREETLINE_SESSION_SECRET"] = "bench-session-secret-" + "x" * 32
        subprocess.run(
            [sys.executable, "-m", "ivr", "apply", "--no-render", str(scale.DEMO)], env=env, check=True, cwd=REPO
        )
        if before is not None and postgres:
            raise SystemExit("--before compares on SQLite only")
        servers: dict[str, tuple[tuple[subprocess.Popen[str], int], str]] = {}
        try:  # started one by one, each stopped below, also when a later one fails to start
            servers[BARE] = (_start_server(env, BARE_APP), "/twilio/voice")
            servers[IN_APP] = (_start_server(env, IN_APP_BARE), "/bare/voice")
            servers[GREETLINE] = (_start_server(env, [*SERVE, "--port", "0"]), "/twilio/voice")
            if before is not None:
                (scratch / "before").mkdir()
                shutil.copy(scratch / "bench.db", scratch / "before" / "bench.db")
                before_env = greetline_env(scratch / "before", f"sqlite:///{scratch}/before/bench.db")
                servers[BEFORE] = (_start_in(before, before_env), "/twilio/voice")
            targets = {name: Target(port, path, process.pid) for name, ((process, port), path) in servers.items()}
            return peak.interleaved(targets, rounds=rounds, round_s=round_s)
        finally:
            for (process, _port), _path in servers.values():
                process.terminate()
                process.wait(30)


def cold_start_s() -> float:
    """The cold start's first start (bench.cold_start): from process start to the first call answered as normal."""
    return cold_start.first_start_s()


def main(
    *,
    rounds: int = peak.ROUNDS,
    round_s: float = peak.ROUND_S,
    before: Path | None = None,
    cold_start: bool = True,
    postgres: bool = False,
) -> dict[str, Any]:
    load_before = peak.load_average()
    found = peak_rows(rounds=rounds, round_s=round_s, before=before, postgres=postgres)
    return {
        "load_before": load_before,
        "peak": found,
        "rounds": rounds,
        "round_s": round_s,
        "database": "PostgreSQL" if postgres else "SQLite",
        "cold_start_s": cold_start_s() if cold_start else None,
        "load_after": peak.load_average(),
    }


def _met(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def report(results: dict[str, Any]) -> str:
    found: dict[str, list[Round]] = results["peak"]
    bare_rate, bare_p99 = peak.median_rate(found[BARE]), peak.median_p99(found[BARE])
    lines = [
        f"wrk, {peak.WRK_THREADS} thread, {peak.WRK_CONNECTIONS} connections, median of {results['rounds']} "
        f"interleaved rounds of {results['round_s']:g} s; one uvicorn worker each, Greetline on "
        f"{results.get('database', 'SQLite')}.",
        f"Load average before: {results['load_before']}; after: {results['load_after']}.",
        "",
        "| endpoint | req/s (median) | each round | p99 (ms, median) | x bare app | server CPU per request (ms) | "
        "x bare app's CPU | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    bare_cpu = peak.median_cpu_ms(found[BARE])
    for name, rounds in found.items():
        rate, cpu = peak.median_rate(rounds), peak.median_cpu_ms(rounds)
        each = " ".join(f"{one.requests_per_s:.0f}" for one in rounds)
        errors = sum(one.errors for one in rounds)
        cpu_text = f"{cpu:.3f} | {bare_cpu / cpu:.2f}x" if cpu and bare_cpu else "- | -"
        lines.append(
            f"| {name} | {rate:.0f} | {each} | {peak.median_p99(rounds):.1f} | {rate / bare_rate:.2f}x | {cpu_text} "
            f"| {errors} |"
        )
    in_app, ours = peak.median_rate(found[IN_APP]), peak.median_rate(found[GREETLINE])
    ours_p99 = peak.median_p99(found[GREETLINE])
    cold = results["cold_start_s"]
    lines += [
        "",
        f"The app shell's cost (the bare route inside Greetline's app against the bare app): "
        f"{1 - in_app / bare_rate:.0%} of the throughput. The voice webhooks skip that shell (ivr.web.voice_path): "
        f"the signed route is {ours / in_app:.2f}x the in-app bare route.",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| signed /twilio/voice ≥ {RATIO_TARGET}x the bare app | {ours / bare_rate:.2f}x | "
        f"{_met(ours / bare_rate >= RATIO_TARGET)} |",
        f"| p99 ≤ {P99_FACTOR_TARGET:g}x the bare app's | {ours_p99:.1f} vs {bare_p99:.1f} ms | "
        f"{_met(ours_p99 <= P99_FACTOR_TARGET * bare_p99)} |",
        f"| in-app bare route ≥ {SHELL_TARGET}x the bare app | {in_app / bare_rate:.2f}x | "
        f"{_met(in_app / bare_rate >= SHELL_TARGET)} |",
    ]
    if cold is not None:
        lines.append(
            f"| cold start, {scale.BUSINESSES:,} businesses: first call ≤ {COLD_START_TARGET_S:g} s after start | "
            f"{cold:.2f} s | {_met(cold <= COLD_START_TARGET_S)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=peak.ROUNDS)
    parser.add_argument("--round-s", type=float, default=peak.ROUND_S)
    parser.add_argument("--before", type=Path, help="an earlier commit's tree, measured in the same rounds")
    parser.add_argument("--no-cold-start", action="store_true", help="leave the cold start out")
    parser.add_argument(
        "--postgres", action="store_true", help="Greetline's rows on a scratch PostgreSQL database at 127.0.0.1:5432"
    )
    arguments = parser.parse_args()
    found = main(
        rounds=arguments.rounds,
        round_s=arguments.round_s,
        before=arguments.before,
        cold_start=not arguments.no_cold_start,
        postgres=arguments.postgres,
    )
    print(report(found))

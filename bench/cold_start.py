"""Issue 25: `greetline serve` with 10,000 businesses: from process start to its first signed call answered; its stop.

`python -m bench.cold_start [--rounds 3] [--before DIR]` stores 10,000 businesses once (SQLite), then, in each round,
starts `greetline serve` twice on a copy of that database:

- a first start: no routing snapshot on disk (a first deploy), so it is written from every document;
- a restart: the snapshot the first start wrote is on disk (the usual restart);

and for each, the time from process start to the first signed call answered with the business's own TwiML, the CPU
seconds the server and its children used by then (utime + stime from /proc: a machine shared with other work inflates
wall-clock much more than CPU), and after the restart's first answer, how long a SIGTERM takes to end the process.

`--before DIR`: the same from DIR, an earlier commit's tree (`git archive COMMIT | tar -x -C DIR`), interleaved round
by round, so a change is measured against what it changed under the same load. bench.against_bare's cold-start row
is the first start's wall-clock.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import peak, scale
from bench.documents import number_of
from bench.webhook import PUBLIC_URL, REPO, TOKEN

ROUNDS = 3
COLD_START_TARGET_S = 3.0
# The cold start gives up after this: a server that never answers is a failed row, not a stuck benchmark.
COLD_START_GIVE_UP_S = 60.0

SERVE = [sys.executable, "-m", "ivr", "serve", "--host", "127.0.0.1", "--log-level", "info"]
# After the first start answered: how long it may take to write the snapshot the restart is to find.
SNAPSHOT_GIVE_UP_S = 120.0


def greetline_env(scratch: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "GREETLINE_DATABASE_URL": database_url,
        "GREETLINE_PUBLIC_URL": PUBLIC_URL,
        "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
        "GREETLINE_MEDIA_DIR": f"{scratch}/media",
        "GREETLINE_SNAPSHOT_PATH": f"{scratch}/snapshot.json",
        "GREETLINE_CALL_LOG_SPILL_PATH": f"{scratch}/spill.jsonl",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Start:
    first_call_s: float
    cpu_s: float  # the server and its children, by the first answer
    server_cpu_s: float  # the server's process alone (its threads); the children run beside it, on the other core
    stop_s: float | None = None


def one_start(tree: Path, scratch: Path, *, stop: bool) -> Start:
    env = greetline_env(scratch, f"sqlite:///{scratch}/cold.db")
    port = _free_port()
    body, signature = peak.signed_forms("/twilio/voice", 1, [number_of(scale.BUSINESSES - 1)])[0]
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    started = time.perf_counter()
    process = subprocess.Popen(
        [*SERVE, "--port", str(port)], env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=COLD_START_GIVE_UP_S) as client:
            while time.perf_counter() - started < COLD_START_GIVE_UP_S:
                try:
                    answer = client.post("/twilio/voice", content=body, headers=headers)
                except httpx.TransportError:
                    time.sleep(0.01)  # polling for the port to open; not synchronisation
                    continue
                first_call_s, cpu_s = time.perf_counter() - started, peak.cpu_s(process.pid)
                server_cpu_s = peak.own_cpu_s(process.pid)
                if answer.status_code != 200 or not ("<Gather" in answer.text or "<Record" in answer.text):
                    raise RuntimeError(f"the first call was not answered as normal: {answer.text[:300]}")
                break
            else:
                raise RuntimeError(f"`greetline serve` answered no call within {COLD_START_GIVE_UP_S:g} s")
        if not stop:
            snapshot = scratch / "snapshot.json"
            while not snapshot.exists() and time.perf_counter() - started < SNAPSHOT_GIVE_UP_S:
                time.sleep(0.1)  # polling for the file the restart is to find
            return Start(first_call_s, cpu_s, server_cpu_s)
        asked = time.perf_counter()
        process.send_signal(signal.SIGTERM)
        process.wait(COLD_START_GIVE_UP_S)
        return Start(first_call_s, cpu_s, server_cpu_s, time.perf_counter() - asked)
    finally:
        process.terminate()
        process.wait(COLD_START_GIVE_UP_S)


def first_start_s(tree: Path = REPO) -> float:
    """One first start of `tree` with 10,000 businesses stored: seconds from process start to its first call answered
    with the business's own TwiML (bench.against_bare's cold-start row)."""
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as folder:
        scratch = Path(folder)
        _populate(f"sqlite:///{scratch / 'cold.db'}")
        return one_start(tree, scratch, stop=True).first_call_s


def _populate(url: str) -> None:
    # In a process of its own, as `greetline apply` would: a connection this process kept open would make the
    # migration check of `serve` wait out SQLite's busy timeout (10 s), which is not what is measured here.
    populate = f"from bench import scale; scale.populate({url!r}, business_count={scale.BUSINESSES}, call_count=0)"
    subprocess.run([sys.executable, "-c", populate], cwd=REPO, check=True)


def main(*, rounds: int = ROUNDS, before: Path | None = None) -> dict[str, list[tuple[Start, Start]]]:
    trees = {"this tree": REPO, **({f"before ({before})": before} if before else {})}
    found: dict[str, list[tuple[Start, Start]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as folder:
        stored = Path(folder) / "stored.db"
        _populate(f"sqlite:///{stored}")
        for _round in range(rounds):
            for name, tree in trees.items():
                scratch = Path(tempfile.mkdtemp(dir=folder))
                shutil.copy(stored, scratch / "cold.db")
                first = one_start(tree, scratch, stop=False)
                found[name].append((first, one_start(tree, scratch, stop=True)))
    return found


def report(found: dict[str, list[tuple[Start, Start]]], load_before: str) -> str:
    lines = [
        f"`greetline serve`, {scale.BUSINESSES:,} businesses (SQLite); load average before: {load_before}; after: "
        f"{peak.load_average()}.",
        "",
        "| tree | first start: first call s (CPU s: with children / server alone), each round | restart: the same | "
        "stop after the restart's first call (s) |",
        "|---|---|---|---|",
    ]
    for name, rounds in found.items():
        first = " ".join(_start(one) for one, _again in rounds)
        again = " ".join(_start(restart) for _one, restart in rounds)
        stops = " ".join(f"{restart.stop_s:.2f}" for _one, restart in rounds if restart.stop_s is not None)
        lines.append(f"| {name} | {first} | {again} | {stops} |")
    lines.append(f"\nTarget: the first call answered ≤ {COLD_START_TARGET_S:g} s after the start.")
    return "\n".join(lines)


def _start(one: Start) -> str:
    return f"{one.first_call_s:.2f} ({one.cpu_s:.2f} / {one.server_cpu_s:.2f})"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--before", type=Path, help="an earlier commit's tree, measured in the same rounds")
    arguments = parser.parse_args()
    load_before = peak.load_average()
    print(report(main(rounds=arguments.rounds, before=arguments.before), load_before))

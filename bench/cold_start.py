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
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import peak, scale
from bench.against_bare import COLD_START_GIVE_UP_S, COLD_START_TARGET_S, SERVE, _free_port, greetline_env
from bench.documents import number_of
from bench.webhook import REPO

ROUNDS = 3
# After the first start answered: how long it may take to write the snapshot the restart is to find.
SNAPSHOT_GIVE_UP_S = 120.0


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


def main(*, rounds: int = ROUNDS, before: Path | None = None) -> dict[str, list[tuple[Start, Start]]]:
    trees = {"this tree": REPO, **({f"before ({before})": before} if before else {})}
    found: dict[str, list[tuple[Start, Start]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as folder:
        stored = Path(folder) / "stored.db"
        url = f"sqlite:///{stored}"
        populate = f"from bench import scale; scale.populate({url!r}, business_count={scale.BUSINESSES}, call_count=0)"
        subprocess.run([sys.executable, "-c", populate], cwd=REPO, check=True)
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

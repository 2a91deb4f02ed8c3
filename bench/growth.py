"""Benchmark: a served process's resident memory with 10,000 businesses (docs/scaling.md, "What gives out first").

`python -m bench.growth`: stores 10,000 businesses in a scratch SQLite database (`bench.scale`'s documents), starts
one `greetline serve`-like uvicorn worker (`bench.bench_app`) on it, and reads its resident size (VmRSS, and the
peak VmHWM) at start, once the work a start does in the background is over (the routing snapshot's rewrite, the
embedded worker's first schedule), and after one signed call to each of the 10,000 numbers.
"""

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.documents import number_of
from bench.load import run_load
from bench.peak import cpu_s
from bench.scale import BUSINESSES, _new_businesses
from bench.webhook import PUBLIC_URL, TOKEN, _requests, _start_server
from ivr.store import businesses
from ivr.store.database import Database
from ivr.store.migrate import upgrade

SETTLE_TIMEOUT_S = 180
CONNECTIONS = 16


def populate(url: str) -> None:
    upgrade(url)
    database = Database(url)
    try:
        with database.transaction() as session:
            businesses.insert_many(session, _new_businesses(), datetime.now(UTC))
    finally:
        database.dispose()


def memory_mb(pid: int) -> dict[str, float]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


def settled(snapshot: Path, pid: int) -> float:
    """Seconds until the snapshot holds every number and the process has stopped using CPU for a second."""
    started = time.monotonic()
    while time.monotonic() - started < SETTLE_TIMEOUT_S:
        if snapshot.exists() and snapshot.read_text("utf-8").count('"business_id"') >= BUSINESSES:
            before = cpu_s(pid)
            time.sleep(1.0)  # polling a process we do not control: no event to wait on
            if cpu_s(pid) - before < 0.05:
                return time.monotonic() - started
        else:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not settle within {SETTLE_TIMEOUT_S} s")


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as scratch:
        url = f"sqlite:///{scratch}/bench.db"
        populate(url)
        snapshot = Path(scratch) / "snapshot.json"
        env = {
            **os.environ,
            "GREETLINE_DATABASE_URL": url,
            "GREETLINE_PUBLIC_URL": PUBLIC_URL,
            "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
            "GREETLINE_MEDIA_DIR": f"{scratch}/media",
            "GREETLINE_SNAPSHOT_PATH": str(snapshot),
            "GREETLINE_CALL_LOG_SPILL_PATH": f"{scratch}/spill.jsonl",
        }
        process, port = _start_server(env)
        try:
            results: dict[str, Any] = {"start": memory_mb(process.pid)}
            results["settled_after_s"] = settled(snapshot, process.pid)
            results["settled"] = memory_mb(process.pid)
            numbers = [number_of(index) for index in range(BUSINESSES)]
            calls = _requests("/twilio/voice", len(numbers), True, 0, numbers)
            load = run_load("127.0.0.1", port, calls, rate_rps=None, connections=CONNECTIONS)
            results["after_calls"] = memory_mb(process.pid)
            results["calls_failed"] = load.failed
        finally:
            process.terminate()
            process.wait(30)
    return results


def report(results: dict[str, Any]) -> str:
    lines = ["| moment | resident (MB) | peak so far (MB) |", "|---|---|---|"]
    for key, moment in (
        ("start", "started"),
        ("settled", f"start-up work done ({results['settled_after_s']:.0f} s)"),
        ("after_calls", f"after one call to each of {BUSINESSES:,} numbers ({results['calls_failed']} failed)"),
    ):
        lines.append(f"| {moment} | {results[key]['VmRSS']:.0f} | {results[key]['VmHWM']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()), file=sys.stdout)

"""Benchmark: /admin/statistics and the calls CSV for a business with 200,000 calls, SQLite and PostgreSQL.

Each database gets the demo business and 200,000 calls in the last four weeks (every call in the statistics' window:
the worst case), with end reasons, times to a person and emergency-option paths. One `bench.bench_app` server per
database (one uvicorn worker, as `greetline serve`), a staff login, then, interleaved across the two servers so load
from elsewhere on the machine hits both alike:

- `GET /admin/statistics`: median and p95 of ROUNDS requests after WARM_UP (target: under 200 ms);
- `GET /admin/calls.csv` of all 200,000 calls, read to the end: its time, its size, and the server's peak resident
  memory during it less its resident memory just before (Linux /proc VmHWM less VmRSS; target: under 50 MB).

`python -m bench.bench_figures` prints the table for docs/benchmarks.md.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.scale import scratch_databases
from bench.webhook import PUBLIC_URL, REPO, TOKEN, _start_server
from ivr.store import call_import, staff
from ivr.store.calls import LoggedCall
from ivr.store.database import Database

CALLS = 200_000
WINDOW_S = 27 * 24 * 3600  # inside the four weeks the statistics show
ROUNDS = 30
WARM_UP = 3
EMAIL, PASSWORD = "bench@greetline.test", "bench-password-123"
REASONS = (
    ("answered_staff", "operator", ["welcome+menu", "operators:completed"]),
    ("answered_service", "overflow", ["welcome+menu", "operators:no-answer>overflow:dial", "overflow:completed"]),
    ("answered_staff", "operator", ["welcome+menu", "menu:1", "option:completed"]),
    ("message_left", "voicemail", ["closed:hours", "voicemail:recorded"]),
    ("hung_up_welcome", "hung up", ["welcome+menu"]),
    ("hung_up_ringing", "hung up", ["welcome+menu", "menu:2"]),
    ("closed_no_message", "closed", ["closed:hours"]),
    ("busy", "missed", ["welcome+menu", "operators:busy>overflow:none"]),
)


def _calls(business_id: int) -> Iterator[LoggedCall]:
    end = datetime.now(UTC).replace(microsecond=0)
    step_s = WINDOW_S / CALLS
    for number in range(CALLS):
        started = end - timedelta(seconds=step_s * (CALLS - number))
        reason, outcome, path = REASONS[number % len(REASONS)]
        answered = reason.startswith("answered")
        yield LoggedCall(
            f"CA{number:032x}",
            business_id,
            "+31501234567",
            f"+3161234{number % 10_000:04}",
            started,
            path,
            outcome,
            started + timedelta(seconds=60),
            (number * 7) % 120,
            end_reason=reason,
            person_s=float((number * 13) % 90) if answered else None,
            urgent="menu:1" in path,
        )


def _populate(url: str, env: dict[str, str]) -> None:
    demo = str(REPO / "examples" / "huisartsenpraktijk-de-linde.yaml")
    subprocess.run(
        [sys.executable, "-m", "ivr", "apply", "--no-render", demo], env=env, check=True, capture_output=True
    )
    database = Database(url)
    try:
        with database.transaction() as session:
            staff.set_login(session, business_id=1, email=EMAIL, password=PASSWORD, now=datetime.now(UTC))
        with database.engine.begin() as connection:
            call_import.import_calls(connection, _calls(1))
    finally:
        database.dispose()


def _vacuum(url: str) -> None:
    """PostgreSQL: the visibility map an index-only scan needs, and the planner's figures, as autovacuum leaves them."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE calls")


def _logged_in(port: int) -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    page = client.get("/admin/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token, "no login form"
    answer = client.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": token.group(1)})
    assert answer.status_code == 303, answer.text
    return client


def _memory_kb(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    assert found
    return int(found.group(1))


def _download(client: httpx.Client, params: dict[str, str]) -> tuple[int, int]:
    """The calls page's CSV read to its end: its bytes and lines."""
    size = lines = 0
    with client.stream("GET", "/admin/calls.csv", params=params) as answer:
        assert answer.status_code == 200
        for chunk in answer.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    return size, lines


def main() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as scratch, scratch_databases(Path(scratch)) as urls:
        servers: dict[str, tuple[subprocess.Popen[str], httpx.Client]] = {}
        try:
            for name, url in urls.items():
                if url is None:
                    continue
                env = {
                    **os.environ,
                    "GREETLINE_DATABASE_URL": url,
                    "GREETLINE_PUBLIC_URL": PUBLIC_URL,
                    "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
                }
                started = time.perf_counter()
                _populate(url, env)
                if url.startswith("postgresql"):
                    _vacuum(url)
                print(f"{name}: 200,000 calls stored in {time.perf_counter() - started:.0f} s", file=sys.stderr)
                process, port = _start_server(env)
                servers[name] = (process, _logged_in(port))
            timings: dict[str, list[float]] = {name: [] for name in servers}
            for round_number in range(WARM_UP + ROUNDS):
                for name, (_process, client) in servers.items():
                    started = time.perf_counter()
                    answer = client.get("/admin/statistics")
                    elapsed_ms = (time.perf_counter() - started) * 1000
                    assert answer.status_code == 200 and answer.text.count('role="img"') == 4, answer.text[:300]
                    if round_number >= WARM_UP:
                        timings[name].append(elapsed_ms)
            rows = []
            for name, (process, client) in servers.items():
                # A CSV of the last two days first (about 15,000 calls): what any first download costs (imports,
                # caches, the allocator's arenas) is then behind us, and the 200,000 must cost no more than it.
                two_days = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
                small_lines = _download(client, {"from": two_days})[1]
                before_kb = _memory_kb(process.pid, "VmRSS")
                small_peak_kb = _memory_kb(process.pid, "VmHWM")
                started = time.perf_counter()
                size, lines = _download(client, {})
                csv_s = time.perf_counter() - started
                peak_kb = _memory_kb(process.pid, "VmHWM")
                assert lines == CALLS + 1, lines
                ordered = sorted(timings[name])
                rows.append(
                    {
                        "database": name,
                        "statistics_p50_ms": round(statistics.median(ordered), 1),
                        "statistics_p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1),
                        "statistics_max_ms": round(ordered[-1], 1),
                        "csv_s": round(csv_s, 2),
                        "csv_mb": round(size / 1e6, 1),
                        "csv_rss_growth_mb": round(max(peak_kb - before_kb, 0) / 1024, 1),
                        "small_csv_calls": small_lines - 1,
                        "small_peak_mb": round(small_peak_kb / 1024, 1),
                        "peak_mb": round(peak_kb / 1024, 1),
                        "rss_before_mb": round(before_kb / 1024, 1),
                    }
                )
            return rows
        finally:
            for process, client in servers.values():
                client.close()
                process.terminate()
                process.wait(timeout=30)


def report(rows: list[dict[str, Any]]) -> str:
    header = (
        "| database | /admin/statistics p50 | p95 | max | calls.csv (200,000 calls) | size | peak RSS growth "
        "| RSS before | peak RSS after a CSV of the last two days | peak RSS after the 200,000 |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = [
        f"| {r['database']} | {r['statistics_p50_ms']} ms | {r['statistics_p95_ms']} ms | {r['statistics_max_ms']} ms "
        f"| {r['csv_s']} s | {r['csv_mb']} MB | {r['csv_rss_growth_mb']} MB | {r['rss_before_mb']} MB "
        f"| {r['small_peak_mb']} MB ({r['small_csv_calls']} calls) | {r['peak_mb']} MB |"
        for r in rows
    ]
    return header + "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))

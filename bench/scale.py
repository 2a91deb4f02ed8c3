"""Benchmark: Greetline with 10,000 businesses and 1,000,000 calls, on SQLite and PostgreSQL side by side.

One run measures the database rows of issue 12's table. Each database gets 10,000 businesses and 1,000,000 calls
(200,000 of them to one business) through the store's bulk functions, timed; then one uvicorn worker per database
serves `bench.bench_app` (Greetline plus a bare endpoint that awaits the form), and a bare FastAPI app runs in a
process of its own (bench.bare_app). Measured, interleaved across the servers so load from elsewhere on the machine
hits all alike:

- peak throughput of the signed voice webhook (wrk, bench.peak), SQLite and PostgreSQL, beside the bare app in its
  own process ("bare app") and the bare route inside Greetline's app ("bare"): the difference is the shell's cost;
- p50/p99 at a fixed 500 calls/s (open loop) for calls to one business and for calls spread over all 10,000 (after
  one untimed pass that has each number called once: the directory's first sight of a number is a database query);
- `GET /api/v1/businesses` with a key for one business, and that business's call log (newest 50 of 200,000).

PostgreSQL: 127.0.0.1:5432, user postgres, trust authentication (a scratch database is created and dropped);
without it the PostgreSQL rows say so.
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import peak
from bench.documents import DEMO, number_of
from bench.load import LoadResult, run_load
from bench.peak import cpu_s
from bench.webhook import PUBLIC_URL, TOKEN, _requests, _start_server
from ivr.document.load import document_data, read_yaml, validate_document
from ivr.store import businesses, call_import, keys
from ivr.store.businesses import NewBusiness
from ivr.store.calls import LoggedCall
from ivr.store.database import Database
from ivr.store.migrate import upgrade

BUSINESSES = 10_000
CALLS = 1_000_000
BUSY_CALLS = 200_000  # to the first business: its call log is the one read
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RATE_RPS = 500
RATE_SECONDS = 10
ROUNDS = 3
# A peak round with wrk (bench.peak): long enough for a steady rate, short enough to interleave four servers.
PEAK_ROUND_S = 8
# The bare FastAPI app in its own process, with `greetline serve`'s uvicorn settings (issue 25).
BARE_APP = [sys.executable, "-m", "bench.bare_app", "--port", "0"]
PEAK_CONNECTIONS = 16
RATE_CONNECTIONS = 32
WARM_UP = 500  # requests of each paced run left out: connection set-up is not steady state
# Closed loop, one connection: rounds interleaved across the bare page, the listing and the call log (a p99 from
# 2,000 requests rather than 300, whose 99th percentile was the third slowest).
API_ROUNDS = 4
API_REQUESTS = 520
API_WARM_UP = 20


@dataclass(frozen=True)
class Populated:
    url: str
    businesses_s: float
    calls_s: float
    busy_business: int
    key: str


@contextmanager
def scratch_databases(folder: Path) -> Iterator[dict[str, str | None]]:
    """SQLite in `folder`; PostgreSQL as a scratch database dropped afterwards (None when it does not answer)."""
    import psycopg

    name = f"greetline_bench_{os.getpid()}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}); its rows are left out", file=sys.stderr)
        admin = None
    if admin is not None:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        postgres = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}" if admin else None
        yield {"SQLite": f"sqlite:///{folder / 'bench.db'}", "PostgreSQL": postgres}
    finally:
        if admin is not None:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.close()


def _new_businesses(count: int = BUSINESSES) -> list[NewBusiness]:
    template = document_data(validate_document(read_yaml(DEMO.read_text("utf-8"))))
    welcome = template["greeting"]["text"]
    new = []
    for index in range(count):
        name = f"Huisartsenpraktijk De Linde {index}"
        greeting = {**template["greeting"], "text": welcome.replace("De Linde", f"De Linde {index}")}
        numbers = [number_of(index)]
        new.append(NewBusiness(name, numbers, {**template, "business": name, "numbers": numbers, "greeting": greeting}))
    return new


def _calls(ids: list[int], count: int = CALLS) -> Iterator[LoggedCall]:
    """The busy business's calls among the others', a few seconds apart, ending now."""
    end = datetime.now(UTC).replace(microsecond=0)
    paths = (["voice", "operator"], ["voice", "menu:1", "operator"], ["voice", "overflow", "voicemail"])
    outcomes = ("operator", "operator", "voicemail")
    every = CALLS // BUSY_CALLS
    for number in range(count):
        index = 0 if number % every == 0 else number % len(ids)
        started = end - timedelta(seconds=3 * (count - number))
        kind = number % len(paths)
        yield LoggedCall(
            f"CA{number:032x}",
            ids[index],
            number_of(index),
            "+31612345678",
            started,
            paths[kind],
            outcomes[kind],
            started + timedelta(seconds=40),
            40,
        )


def populate(url: str, *, business_count: int = BUSINESSES, call_count: int = CALLS) -> Populated:
    upgrade(url)
    database = Database(url)
    try:
        new = _new_businesses(business_count)
        started = time.perf_counter()
        with database.transaction() as session:
            ids = businesses.insert_many(session, new, datetime.now(UTC))
        businesses_s = time.perf_counter() - started
        generated = _calls(ids, call_count)
        started = time.perf_counter()
        with database.engine.begin() as connection:
            call_import.import_calls(connection, generated)
        calls_s = time.perf_counter() - started
        with database.transaction() as session:
            _key, secret = keys.create(session, business_id=ids[0], label="bench", now=datetime.now(UTC))
        return Populated(url, businesses_s, calls_s, ids[0], secret)
    finally:
        database.dispose()


def _get(path: str, key: str, count: int) -> list[bytes]:
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n\r\n"
    return [head.encode()] * count


def _percentiles(result: LoadResult, skip: int) -> dict[str, float]:
    steady = LoadResult(result.sent, result.failed, result.elapsed_s, result.latencies_ms[skip:])
    return {
        "p50_ms": steady.percentile_ms(0.50),
        "p99_ms": steady.percentile_ms(0.99),
        "failed": result.failed,
    }


def main() -> dict[str, Any]:
    numbers = [number_of(index) for index in range(BUSINESSES)]
    results: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch, scratch_databases(Path(scratch)) as urls:
        servers = {}
        try:
            for name, url in urls.items():
                if url is None:
                    continue
                populated = populate(url)
                results[name] = {"businesses_s": populated.businesses_s, "calls_s": populated.calls_s}
                print(f"{name}: populated", file=sys.stderr, flush=True)
                env = {
                    **os.environ,
                    "GREETLINE_DATABASE_URL": url,
                    "GREETLINE_PUBLIC_URL": PUBLIC_URL,
                    "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
                    "GREETLINE_MEDIA_DIR": f"{scratch}/media-{name}",
                    "GREETLINE_SNAPSHOT_PATH": f"{scratch}/snapshot-{name}.json",
                    "GREETLINE_CALL_LOG_SPILL_PATH": f"{scratch}/spill-{name}.jsonl",
                }
                process, port = _start_server(env)
                servers[name] = (process, port, populated)
            bare = _start_server(dict(os.environ), BARE_APP)
            try:
                results.update(_measure(servers, bare, numbers))
            finally:
                bare[0].terminate()
                bare[0].wait(30)
        finally:
            for process, _port, _populated in servers.values():
                process.terminate()
                process.wait(30)
    results["load_after"] = os.getloadavg()
    return results


def _measure(
    servers: dict[str, tuple[Any, int, Populated]], bare: tuple[Any, int], numbers: list[str]
) -> dict[str, Any]:
    offset = 10_000_000  # CallSids distinct from the warm-up's
    peaks: dict[str, list[float]] = {}
    paced: dict[str, list[dict[str, float]]] = {}

    # Per request, kept apart for peak and paced runs: at a fixed rate each request wakes the server on its own, and
    # costs about twice the CPU it costs at peak, where reads and writes are batched (a median over both mixed them).
    cpu: dict[str, dict[str, list[float]]] = {"peak": {}, "paced": {}}
    pids = {port: process.pid for process, port, _populated in servers.values()}

    def run(key: str, port: int, requests: list[bytes], rate: float | None) -> None:
        connections = RATE_CONNECTIONS if rate else PEAK_CONNECTIONS
        cpu_before = cpu_s(pids[port])
        result = run_load("127.0.0.1", port, requests, rate_rps=rate, connections=connections)
        spent_ms = (cpu_s(pids[port]) - cpu_before) * 1000 / len(requests)
        cpu["peak" if rate is None else "paced"].setdefault(key, []).append(spent_ms)
        if rate is None:
            peaks.setdefault(key, []).append(result.throughput_rps)
        else:
            paced.setdefault(key, []).append(_percentiles(result, WARM_UP))

    warm_s = {}
    for name, (_process, port, _populated) in servers.items():
        started = time.perf_counter()  # every number once: the directory's first sight of each is a query
        run_load(
            "127.0.0.1",
            port,
            _requests("/twilio/voice", len(numbers), True, 0, numbers),
            rate_rps=None,
            connections=PEAK_CONNECTIONS,
        )
        warm_s[name] = time.perf_counter() - started
    first = next(iter(servers))

    def run_wrk(key: str, pid: int, port: int, script: Path) -> None:
        cpu_before = cpu_s(pid)
        found = peak.run_wrk(port, script, PEAK_ROUND_S)
        served = max(1.0, found.requests_per_s * PEAK_ROUND_S)
        cpu["peak"].setdefault(key, []).append((cpu_s(pid) - cpu_before) * 1000 / served)
        peaks.setdefault(key, []).append(found.requests_per_s)

    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        scripts = {
            "bare app": peak.write_script(Path(folder), "/twilio/voice"),
            "bare": peak.write_script(Path(folder), "/bare/voice"),
            "one": peak.write_script(Path(folder), "/twilio/voice", numbers[:1]),
        }
        bare_process, bare_port = bare
        for _round in range(ROUNDS):  # wrk, interleaved: the bare app on its own, the bare route in ours, ours
            run_wrk("bare app", bare_process.pid, bare_port, scripts["bare app"])
            for name, (process, port, _populated) in servers.items():
                if name == first:
                    run_wrk("bare", process.pid, port, scripts["bare"])
                run_wrk(f"{name} one", process.pid, port, scripts["one"])
    count = RATE_RPS * RATE_SECONDS
    for _round in range(2):
        for name, (_process, port, _populated) in servers.items():
            if name == first:
                run("bare", port, _requests("/bare/voice", count, False, offset), RATE_RPS)
            for kind, called in (("one", numbers[:1]), ("spread", numbers)):
                offset += count
                run(f"{name} {kind}", port, _requests("/twilio/voice", count, True, offset, called), RATE_RPS)
    api = {}
    for name, (_process, port, populated) in servers.items():
        paths = {
            "bare": "/bare/calls",
            "businesses": "/api/v1/businesses",
            "call_log": f"/api/v1/businesses/{populated.busy_business}/calls?limit=50",
        }
        latencies: dict[str, list[float]] = {key: [] for key in paths}
        for _round in range(API_ROUNDS):
            for key, path in paths.items():
                requests = _get(path, populated.key, API_REQUESTS)
                result = run_load("127.0.0.1", port, requests, rate_rps=None, connections=1)
                latencies[key] += result.latencies_ms[API_WARM_UP:]
        api[name] = {key: _percentiles(LoadResult(len(found), 0, 0.0, found), 0) for key, found in latencies.items()}
    return {
        "warm_s": warm_s,
        "cpu_ms": {how: {key: statistics.median(values) for key, values in runs.items()} for how, runs in cpu.items()},
        "peak_rps": {key: [round(value) for value in values] for key, values in peaks.items()},
        "paced": {
            key: {
                "p50_ms": statistics.median(run["p50_ms"] for run in runs),
                "p99_ms": [round(run["p99_ms"], 2) for run in runs],
                "failed": sum(run["failed"] for run in runs),
            }
            for key, runs in paced.items()
        },
        "api": api,
    }


def _cpu(cpu_ms: dict[str, dict[str, float]], key: str) -> str:
    return " / ".join(f"{cpu_ms[how][key]:.3f}" if key in cpu_ms[how] else "-" for how in ("peak", "paced"))


def report(results: dict[str, Any]) -> str:
    lines = [
        f"Load average before {results['load_before'][0]:.2f}, after {results['load_after'][0]:.2f} "
        f"({os.cpu_count()} CPUs).",
        "",
        "| database | 10,000 businesses stored (s) | 1,000,000 calls stored (s) | first call to each of 10,000 "
        "numbers (s) | GET /api/v1/businesses, key for one: p50 / p99 (ms) | call log newest 50 of 200,000: "
        "p50 / p99 (ms) | bare page of 50 beside them: p50 / p99 (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, api in results["api"].items():
        made = results[name]
        listing, log_page, bare = api["businesses"], api["call_log"], api["bare"]
        lines.append(
            f"| {name} | {made['businesses_s']:.1f} | {made['calls_s']:.1f} | {results['warm_s'][name]:.1f} "
            f"| {listing['p50_ms']:.2f} / {listing['p99_ms']:.2f} | {log_page['p50_ms']:.2f} / "
            f"{log_page['p99_ms']:.2f} | {bare['p50_ms']:.2f} / {bare['p99_ms']:.2f} |"
        )
    lines += [
        "",
        "| endpoint | peak req/s, each round | server CPU per request at peak / at 500/s (ms) | p50 at 500/s (ms) "
        "| p99 at 500/s, each run (ms) | failed |",
        "|---|---|---|---|---|---|",
    ]
    for key in results["peak_rps"].keys() - results["paced"].keys():  # the bare app in its own process: peak only
        peak = " ".join(map(str, results["peak_rps"][key]))
        lines.append(f"| {key} (own process) | {peak} | {_cpu(results['cpu_ms'], key)} | - | - | - |")
    for key, paced in results["paced"].items():
        peak = results["peak_rps"].get(key, [])
        lines.append(
            f"| {key} | {' '.join(map(str, peak)) or '-'} | {_cpu(results['cpu_ms'], key)} | {paced['p50_ms']:.2f} "
            f"| {' '.join(f'{value:.1f}' for value in paced['p99_ms'])} | {paced['failed']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))

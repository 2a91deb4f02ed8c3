"""Benchmark: calls and call-log rows under database faults, against `greetline serve` as a real process.

`python -m bench.reliability` (or `make reliability`) prints the "Database faults" table of docs/reliability.md:
for each fault, the calls made during it (open loop at a fixed rate, latency counted from when each call was due),
how many were answered with TwiML that dials the staff within 3 s, the slowest answer, and the call-log rows lost
(answered calls without a row once the server has shut down, or been killed and restarted).

Faults: a SQLite database locked by another process for 30 s (readers too); PostgreSQL stalled behind a TCP proxy
for 20 s (connections accepted, nothing forwarded), with calls that ask the database (the simulator's time field)
and with calls as Twilio makes them to a number in memory (answered as before the stall, issue 25); the database
down from the start (answers from the routing snapshot); SIGKILL under load (rows lost against the calls answered in
the final second).
`--quick` shortens every fault to a few seconds for a smoke run.
"""

import argparse
import os
import secrets
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import httpx
import sqlalchemy
from twilio.request_validator import RequestValidator

from ivr.simulator import SIMULATED_TIME_FIELD
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.fakes.sqlite_lock import exclusive_lock
from tests.fakes.tcp_proxy import stalling_proxy
from tests.local_server import ServerProcess, server_process

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "huisartsenpraktijk-de-linde.yaml"
TOKEN = "bench-token-0123456789abcdef0123"
PUBLIC_URL = "http://greetline.bench"
POSTGRES_URL = os.environ.get("GREETLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
STAFF = ("+31501111111", "+31502222222")
# Every voice webhook answers within this (issue 8); Twilio itself gives up at 15 s.
ANSWER_WITHIN_S = 3.0
RATE_CPS = 20  # calls per second: a busy small-business line system, far above what one business sees
# The client gives up on a call after this: a hang shows up as a failed call, not as a stuck benchmark.
CLIENT_TIMEOUT_S = 20.0


@dataclass
class Calls:
    """Every call made: when it was due, how long its answer took, whether it dialled the staff."""

    latencies_s: list[float] = field(default_factory=list)
    dialled_staff: list[bool] = field(default_factory=list)
    answered: dict[str, float] = field(default_factory=dict)  # sid → monotonic time the answer arrived
    lock: threading.Lock = field(default_factory=threading.Lock)

    def within(self, limit_s: float) -> int:
        return sum(
            1
            for latency, dialled in zip(self.latencies_s, self.dialled_staff, strict=True)
            if dialled and latency <= limit_s
        )


def _signed(call_sid: str, simulated: bool = True) -> tuple[dict[str, str], dict[str, str]]:
    """`simulated`: the simulator's time field, which makes every call ask the database; False: a call as Twilio
    makes it, answered from memory once the number has been called."""
    form = {"CallSid": call_sid, "AccountSid": "ACbench", "From": "+31612345678", "To": "+31501234567"}
    if simulated:
        # Within opening hours whenever the benchmark runs, so the normal answer (menu, then the staff) dials them.
        form[SIMULATED_TIME_FIELD] = "2026-11-24T10:15:00"
    return form, {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(f"{PUBLIC_URL}/twilio/voice", form)}


def _dials_staff(body: str) -> bool:
    return all(f"<Number>{number}</Number>" in body for number in STAFF)


def call_at_rate(
    base_url: str,
    duration_s: float,
    prefix: str,
    calls: Calls,
    stop: threading.Event | None = None,
    *,
    simulated: bool = True,
    answered_well: Callable[[str], bool] = _dials_staff,
) -> None:
    """Open loop: call i is due at start + i / rate whether or not earlier calls have been answered.

    `answered_well`: what counts as the answer wanted (by default one that dials the staff)."""
    http = httpx.Client(base_url=base_url, timeout=CLIENT_TIMEOUT_S, limits=httpx.Limits(max_connections=200))

    def one(index: int, due: float) -> None:
        sid = f"CA{prefix}{index:0{32 - len(prefix)}d}"
        form, headers = _signed(sid, simulated)
        try:
            response = http.post("/twilio/voice", data=form, headers=headers)
            ok = response.status_code == 200
            dialled = ok and answered_well(response.text)
        except httpx.HTTPError:
            ok = dialled = False
        done = time.monotonic()
        with calls.lock:
            calls.latencies_s.append(done - due)
            calls.dialled_staff.append(dialled)
            if ok:
                calls.answered[sid] = done

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=100) as pool:
        for index in range(int(duration_s * RATE_CPS)):
            due = start + index / RATE_CPS
            if stop is not None and stop.is_set():
                break
            delay_s = due - time.monotonic()
            if delay_s > 0:
                time.sleep(delay_s)  # pacing the load, not synchronising
            pool.submit(one, index, due)
    http.close()


def _logged(database_url: str) -> set[str]:
    engine = sqlalchemy.create_engine(database_url)
    with engine.connect() as connection:
        sids = {row[0] for row in connection.exec_driver_sql("SELECT call_sid FROM calls")}
    engine.dispose()
    return sids


def _environment(scratch: Path, database_url: str) -> dict[str, str]:
    return {
        "GREETLINE_DATABASE_URL": database_url,
        "GREETLINE_MEDIA_DIR": str(scratch / "media"),
        "GREETLINE_SNAPSHOT_PATH": str(scratch / "routing-snapshot.json"),
        "GREETLINE_CALL_LOG_SPILL_PATH": str(scratch / "call-log-spill.jsonl"),
        "GREETLINE_PUBLIC_URL": PUBLIC_URL,
        "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
        "GREETLINE_SESSION_SECRET": "reliability-bench-session-secret",
    }


def _prepare(scratch: Path, database_url: str) -> None:
    upgrade(database_url)
    database = Database(database_url, scratch / "routing-snapshot.json")
    # A Tuesday morning in the business's hours: the normal answer dials the staff too (after the menu).
    apply_text(database, DEMO.read_text("utf-8"), datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    database.dispose()


@contextmanager
def _postgres_schema() -> Iterator[str]:
    schema = f"bench_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _stop(server: ServerProcess) -> None:
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(60)


@dataclass(frozen=True)
class Row:
    fault: str
    calls: int
    within_3_s: int
    slowest_s: float
    rows_lost: str


def _row(fault: str, calls: Calls, rows_lost: str) -> Row:
    return Row(fault, len(calls.latencies_s), calls.within(ANSWER_WITHIN_S), max(calls.latencies_s), rows_lost)


def _during(
    fault: Callable[[], AbstractContextManager[object]], base_url: str, duration_s: float, prefix: str
) -> Calls:
    """Calls at the fixed rate while the fault holds."""
    calls = Calls()
    with fault():
        call_at_rate(base_url, duration_s, prefix, calls)
    return calls


def sqlite_locked(scratch: Path, fault_s: float) -> Row:
    """Locked for writers while the server runs (in WAL mode its reads, and so calls, go on)."""
    url = f"sqlite:///{scratch / 'locked.db'}"
    _prepare(scratch, url)
    with server_process(_environment(scratch, url)) as server:
        before = Calls()
        call_at_rate(server.base_url, 2, "w", before)
        calls = _during(partial(exclusive_lock, scratch / "locked.db"), server.base_url, fault_s, "l")
        _stop(server)  # SIGTERM: the call log is flushed (it waited out the lock)
    answered = set(before.answered) | set(calls.answered)
    fault = f"SQLite locked for writers by another process, {fault_s:g} s"
    return _row(fault, calls, str(len(answered - _logged(url))))


def sqlite_locked_for_readers(scratch: Path, fault_s: float) -> Row:
    """Locked for readers too, which SQLite grants only with no other connection open: from before the start."""
    url = f"sqlite:///{scratch / 'locked.db'}"
    _prepare(scratch, url)
    calls = Calls()
    with ExitStack() as lock:
        lock.enter_context(exclusive_lock(scratch / "locked.db", readers_too=True))
        with server_process(_environment(scratch, url)) as server:
            call_at_rate(server.base_url, fault_s, "r", calls)
            lock.close()  # released: the server stores the log it kept, then stops
            _stop(server)
    fault = f"SQLite locked for readers and writers from before `serve` starts, {fault_s:g} s"
    return _row(fault, calls, str(len(set(calls.answered) - _logged(url))))


def postgres_stalled(scratch: Path, fault_s: float) -> Row:
    with _postgres_schema() as direct, stalling_proxy(("127.0.0.1", 5432)) as proxy:
        _prepare(scratch, direct)
        url = direct.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}", 1)
        with server_process(_environment(scratch, url)) as server:
            before = Calls()
            call_at_rate(server.base_url, 2, "w", before)

            @contextmanager
            def stalled() -> Iterator[None]:
                proxy.stall()
                yield
                proxy.resume()

            calls = _during(stalled, server.base_url, fault_s, "p")
            _stop(server)
        answered = set(before.answered) | set(calls.answered)
        lost = len(answered - _logged(direct))
    return _row(f"PostgreSQL stalled (TCP proxy forwards nothing), {fault_s:g} s", calls, str(lost))


def postgres_stalled_in_memory(scratch: Path, fault_s: float) -> Row:
    """Calls as Twilio makes them to a number called before the stall: answered from memory, exactly as before."""
    with _postgres_schema() as direct, stalling_proxy(("127.0.0.1", 5432)) as proxy:
        _prepare(scratch, direct)
        url = direct.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}", 1)
        with server_process(_environment(scratch, url)) as server:
            form, headers = _signed("CA" + "0" * 32, simulated=False)
            normal = httpx.post(f"{server.base_url}/twilio/voice", data=form, headers=headers).text
            calls = Calls()
            proxy.stall()
            call_at_rate(server.base_url, fault_s, "m", calls, simulated=False, answered_well=normal.__eq__)
            proxy.resume()
            _stop(server)
    p99_ms = sorted(calls.latencies_s)[int(0.99 * (len(calls.latencies_s) - 1))] * 1000
    fault = f"PostgreSQL stalled, {fault_s:g} s: a number in memory, answered as before the stall (p99 {p99_ms:.0f} ms)"
    return _row(fault, calls, "-")


def database_down_at_start(scratch: Path, duration_s: float) -> Row:
    url = f"sqlite:///{scratch / 'down.db'}"
    _prepare(scratch, url)  # writes the snapshot, as every saved change does
    down = _environment(scratch, "postgresql+psycopg://nobody@127.0.0.1:9/none")
    with server_process(down) as server:
        calls = Calls()
        call_at_rate(server.base_url, duration_s, "d", calls)
        _stop(server)
    return _row(f"database down when `serve` starts, {duration_s:g} s of calls", calls, "n/a (no database)")


def sigkill_under_load(scratch: Path, load_s: float) -> Row:
    url = f"sqlite:///{scratch / 'killed.db'}"
    _prepare(scratch, url)
    calls = Calls()
    stop = threading.Event()
    with server_process(_environment(scratch, url)) as server:
        call_at_rate(server.base_url, 2, "w", calls)  # warm: the first calls of a process are slower
        caller = threading.Thread(target=call_at_rate, args=(server.base_url, load_s * 10, "k", calls, stop))
        caller.start()
        deadline = time.monotonic() + load_s
        while time.monotonic() < deadline:
            time.sleep(0.1)  # letting the load run, not synchronising
        server.process.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        server.process.wait(60)
        stop.set()
        caller.join()
    with calls.lock:
        answered = dict(calls.answered)
    lost = set(answered) - _logged(url)
    last_second = sum(1 for at in answered.values() if killed_at - at <= 1.0)
    lost_text = f"{len(lost)} of {len(answered)} answered (answered in the final second: {last_second})"
    return _row(
        f"SIGKILL after {load_s:g} s at {RATE_CPS} calls/s (calls include those refused after)", calls, lost_text
    )


def main(quick: bool = False) -> list[Row]:
    fault_s = 5.0 if quick else 30.0
    with tempfile.TemporaryDirectory() as scratch:
        rows = [sqlite_locked(Path(scratch) / "a", fault_s)]
        rows.append(sqlite_locked_for_readers(Path(scratch) / "a2", fault_s))
        rows.append(postgres_stalled(Path(scratch) / "b", 20.0 if not quick else 5.0))
        rows.append(postgres_stalled_in_memory(Path(scratch) / "b2", 20.0 if not quick else 5.0))
        rows.append(database_down_at_start(Path(scratch) / "c", 10.0 if not quick else 3.0))
        rows.append(sigkill_under_load(Path(scratch) / "d", 10.0 if not quick else 3.0))
    return rows


def report(rows: list[Row]) -> str:
    lines = [
        f"`greetline serve` (one process), calls to /twilio/voice at {RATE_CPS} calls/s, open loop.",
        "",
        "| fault | calls during it | answered with the staff dial within 3 s | slowest answer (s) | log rows lost |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| {row.fault} | {row.calls} | {row.within_3_s} | {row.slowest_s:.2f} | {row.rows_lost} |")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a few seconds per fault instead of 30 s")
    arguments = parser.parse_args()
    print(report(main(arguments.quick)))
    sys.exit(0)

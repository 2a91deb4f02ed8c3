"""Benchmark: the server's memory under hostile inputs and logins (issue 8), `greetline serve` as a subprocess.

Each row sends one kind of input and reads the server's peak resident memory (VmHWM in /proc) afterwards; the
peak only grows, so a row's figure includes every row before it. Target: under 300 MB throughout.

    PYTHONPATH=. .venv/bin/python -m bench.inputs
"""

import os
import re
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from ivr.store import keys, staff
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.raw_http import chunked, push, repeated, request_head

REPO = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-0123456789abcdef0123"
PUBLIC_URL = "http://bench.test"
EMAIL, PASSWORD = "assistent@delinde.nl", "een-lang-wachtwoord"
HUGE_BYTES = 200 * 1024 * 1024
SLOW_CLIENTS = 80
PARALLEL_LOGINS = 32
FLOOD_ATTEMPTS = 200
TIMING_ROUNDS = 8
MEMORY_TARGET_MB = 300
CALL = {"CallSid": "CA" + "0" * 32, "AccountSid": "AC" + "0" * 32, "From": "+31612345678", "To": "+31501234567"}


@dataclass
class Row:
    input: str
    outcome: str
    peak_rss_mb: float


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert match
    return int(match.group(1)) / 1024


@contextmanager
def _server(scratch: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    database_url = f"sqlite:///{scratch}/bench.db"
    upgrade(database_url)
    database = Database(database_url)
    now = datetime.now(UTC)
    business = apply_text(database, (REPO / "examples" / "huisartsenpraktijk-de-linde.yaml").read_text(), now).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=now)
        keys.create(session, business_id=business.id, label="bench", now=now)
    database.dispose()
    env = {
        **os.environ,
        "GREETLINE_DATABASE_URL": database_url,
        "GREETLINE_MEDIA_DIR": f"{scratch}/media",
        "GREETLINE_PUBLIC_URL": PUBLIC_URL,
        "GREETLINE_TWILIO_AUTH_TOKEN": TOKEN,
        "GREETLINE_SESSION_SECRET": "bench-session-secret",
    }
    command = [sys.executable, "-m", "ivr", "serve", "--port", "0", "--no-migrate", "--log-level", "info"]
    process = subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    url = None
    for line in process.stderr:
        match = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
        if match:
            url = match.group(1)
            break
    assert url, "the server did not start"
    threading.Thread(target=lambda: [None for _ in process.stderr or []], daemon=True).start()  # keep it drained
    try:
        yield process, url
    finally:
        process.terminate()
        process.wait(30)


def _webhook(http: httpx.Client) -> float:
    signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC_URL}/twilio/voice", CALL)
    started = time.perf_counter()
    answer = http.post("/twilio/voice", data=CALL, headers={"X-Twilio-Signature": signature})
    assert answer.status_code == 200, answer.text
    return time.perf_counter() - started


def _huge(at: tuple[str, int], path: str, content_type: str, chunked_body: bool) -> str:
    length = {"Transfer-Encoding": "chunked"} if chunked_body else {"Content-Length": str(HUGE_BYTES)}
    pieces = repeated(64 * 1024, HUGE_BYTES)
    answer = push(
        at,
        request_head("POST", path, {"Content-Type": content_type, **length}),
        chunked(pieces) if chunked_body else pieces,
    )
    return f"{answer.status} after {answer.body_bytes_sent / 2**20:.1f} MB of 200 MB sent"


def _slow_clients(at: tuple[str, int], head: bytes) -> str:
    """Open the connections, send each a start that never ends, and time how long the server keeps them."""
    started = time.monotonic()
    connections = [socket.create_connection(at) for _ in range(SLOW_CLIENTS)]
    for connection in connections:
        connection.sendall(head)
    open_ = {connection: started for connection in connections}
    closed_after_s: list[float] = []
    while open_ and time.monotonic() - started < 60:
        readable, _, _ = select.select(list(open_), [], [], 1.0)
        for connection in readable:
            try:
                data = connection.recv(65536)
            except ConnectionResetError:
                data = b""
            if not data:
                closed_after_s.append(time.monotonic() - started)
                del open_[connection]
                connection.close()
    for connection in open_:
        connection.close()
    return (
        f"{len(closed_after_s)} of {SLOW_CLIENTS} closed by the server, "
        f"the last after {max(closed_after_s, default=0):.1f} s; {len(open_)} still open after 60 s"
    )


def _login(http: httpx.Client, email: str, password: str) -> httpx.Response:
    page = http.get("/admin/login").text
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match
    return http.post("/admin/login", data={"email": email, "password": password, "csrf": match.group(1)})


def _timing(url: str) -> str:
    known: list[float] = []
    unknown: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as http:
        for n in range(TIMING_ROUNDS // 2):
            for email, times in ((EMAIL, known), (f"nobody{n}@delinde.nl", unknown)):
                started = time.perf_counter()
                assert _login(http, email, "wrong-password").status_code == 401
                times.append(time.perf_counter() - started)
        assert _login(http, EMAIL, PASSWORD).status_code == 303  # clears the counts before the floods
    return (
        f"wrong password, known address: median {statistics.median(known) * 1000:.0f} ms; "
        f"unknown address: median {statistics.median(unknown) * 1000:.0f} ms ({TIMING_ROUNDS // 2} each)"
    )


def _parallel_logins(url: str) -> str:
    clients = [httpx.Client(base_url=url, timeout=60) for _ in range(PARALLEL_LOGINS)]
    webhook_s: list[float] = []
    done = threading.Event()

    def calls_meanwhile() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while not done.is_set():
                webhook_s.append(_webhook(http))

    caller = threading.Thread(target=calls_meanwhile)
    caller.start()
    with ThreadPoolExecutor(PARALLEL_LOGINS) as pool:
        statuses = list(pool.map(lambda http: _login(http, EMAIL, PASSWORD).status_code, clients))
    done.set()
    caller.join()
    for http in clients:
        http.close()
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    return f"answers {counts}; {len(webhook_s)} voice webhooks meanwhile, slowest {max(webhook_s) * 1000:.0f} ms"


def _flood(url: str) -> str:
    started = time.monotonic()
    with httpx.Client(base_url=url, timeout=30) as http:
        statuses = [_login(http, EMAIL, f"wrong-{n}").status_code for n in range(FLOOD_ATTEMPTS)]
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    return f"answers {counts} in {time.monotonic() - started:.1f} s"


def main() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch, _server(scratch) as (process, url):
        host, port = url.removeprefix("http://").split(":")
        at = (host, int(port))

        def measure(name: str, run: Callable[[], str]) -> None:
            rows.append(Row(name, run(), round(_peak_rss_mb(process.pid), 1)))

        form = "application/x-www-form-urlencoded"
        multipart = "multipart/form-data; boundary=xyz"
        with httpx.Client(base_url=url, timeout=30) as http:
            measure("started, one voice webhook", lambda: f"200 in {_webhook(http) * 1000:.0f} ms")
        measure("200 MB webhook, Content-Length", lambda: _huge(at, "/twilio/voice", form, False))
        measure("200 MB webhook, chunked", lambda: _huge(at, "/twilio/voice", form, True))
        upload = "/api/v1/businesses/1/greetings"
        measure("200 MB upload without a key, Content-Length", lambda: _huge(at, upload, multipart, False))
        measure("200 MB upload without a key, chunked", lambda: _huge(at, upload, multipart, True))
        slow_headers = b"POST /twilio/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"
        measure(f"{SLOW_CLIENTS} clients with headers that stop", lambda: _slow_clients(at, slow_headers))
        slow_body = request_head("POST", "/twilio/voice", {"Content-Type": form, "Content-Length": "1000"}) + b"To="
        measure(f"{SLOW_CLIENTS} clients with bodies that stop", lambda: _slow_clients(at, slow_body))
        measure("login timing, known vs unknown address", lambda: _timing(url))
        measure(f"{PARALLEL_LOGINS} parallel logins, voice webhooks meanwhile", lambda: _parallel_logins(url))
        measure(f"{FLOOD_ATTEMPTS} wrong passwords in a row", lambda: _flood(url))
    return rows


def report(rows: list[Row]) -> str:
    lines = [
        "| input | what the server did | peak RSS so far (MB) |",
        "|---|---|---|",
        *(f"| {row.input} | {row.outcome} | {row.peak_rss_mb} |" for row in rows),
        "",
        f"Peak resident memory {max(row.peak_rss_mb for row in rows)} MB (target < {MEMORY_TARGET_MB} MB).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main()))

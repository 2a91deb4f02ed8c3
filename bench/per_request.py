"""CPU time per request, measured in-process: what each of issue 25's rows costs, without uvicorn and without wrk.

On a machine shared with other work, requests per second say how much CPU a server got, not how much a request
needs. This drives requests straight into each ASGI app (one at a time, on uvloop as `greetline serve` runs) and
reports the process's CPU time per request after a warm-up, the call-log writer's thread included (the log is
flushed before the clock stops). The figures are nearly independent of the machine's load, so a change is judged by
them; uvicorn's own work per request (h11, the transport) is the same for every row and left out.

`python -m bench.per_request [--requests 3000] [--repeat 3] [--profile voice|in-app|bare --sort tottime]`, each row
run `--repeat` times in turn; the least of its runs is the figure (load from elsewhere only ever adds):

- `bare`: the bare FastAPI app of bench.bare_app (await the form, answer constant TwiML);
- `in-app`: the same route inside Greetline's app (bench.bench_app's `/bare/voice`): the difference from `bare` is
  what Greetline's app shell costs a request;
- `voice`: Greetline's signed `POST /twilio/voice` (SQLite, the demo business, open hours), as served.

`--profile ROW` prints cProfile's table for that row instead (the profiler's own cost inflates every figure in it).
"""

import argparse
import asyncio
import contextlib
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import uvloop
from fastapi import FastAPI
from starlette.types import ASGIApp, Message

from bench import bare_app, bench_app
from bench.documents import DEMO
from bench.peak import signed_forms
from bench.webhook import DEMO_NUMBER, PUBLIC_URL, TOKEN
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app

# A Tuesday at 10:00 in Amsterdam: the demo practice is open, so every call hears the welcome and the menu.
OPEN_HOURS = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
REQUESTS = 3_000
WARM_UP = 300
REPEAT = 3

# An ASGI scope and the body that comes with it.
Request = tuple[dict[str, object], bytes]
Row = Callable[[Path], tuple[ASGIApp, str, Callable[[], None]]]


def _settings(scratch: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{scratch}/bench.db",
        public_url=PUBLIC_URL,
        twilio_auth_token=TOKEN,
        media_dir=scratch / "media",
        snapshot_path=scratch / "snapshot.json",
        call_log_spill_path=scratch / "spill.jsonl",
    )


def _greetline(scratch: Path) -> tuple[ASGIApp, str, Callable[[], None]]:
    settings = _settings(scratch)
    upgrade(settings.database_url)
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, DEMO.read_text("utf-8"), OPEN_HOURS)
    app = create_app(settings, database=database, clock=lambda: OPEN_HOURS)
    return app, "/twilio/voice", app.state.services.call_log.flush


def _in_app(scratch: Path) -> tuple[ASGIApp, str, Callable[[], None]]:
    app, _path, flush = _greetline(scratch)
    bench_app.add_bare_routes(app)
    return app, "/bare/voice", flush


def _bare(_scratch: Path) -> tuple[ASGIApp, str, Callable[[], None]]:
    return bare_app.app, "/twilio/voice", lambda: None


ROWS: dict[str, Row] = {"bare": _bare, "in-app": _in_app, "voice": _greetline}


def _scope(path: str, signature: str, body: bytes) -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"x-twilio-signature", signature.encode()),
            (b"content-length", str(len(body)).encode()),
        ],
        "state": {},
    }


async def _drive(app: ASGIApp, requests: list[Request]) -> None:
    for scope, body in requests:
        sent: list[Message] = []

        async def receive(body: bytes = body) -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message, sent: list[Message] = sent) -> None:
            sent.append(message)

        await app(dict(scope), receive, send)
        if sent[0]["status"] != 200:
            raise RuntimeError(f"{scope['path']} answered {sent[0]['status']}: {sent[1].get('body', b'')[:300]!r}")


def _requests(path: str, count: int, offset: int) -> list[Request]:
    forms = signed_forms(path, count, [DEMO_NUMBER], offset)
    return [(_scope(path, signature, body.encode()), body.encode()) for body, signature in forms]


async def _served(
    app: ASGIApp, flush: Callable[[], None], warm: list[Request], timed: list[Request], profile: cProfile.Profile | None
) -> float:
    """Within the app's lifespan, as `greetline serve` runs it (the routing snapshot written, the worker started)."""
    lifespan = app.router.lifespan_context if isinstance(app, FastAPI) else None
    async with lifespan(app) if lifespan is not None else contextlib.nullcontext():
        await _drive(app, warm)
        flush()
        started = time.process_time()
        if profile is not None:
            profile.enable()
        await _drive(app, timed)
        flush()
        if profile is not None:
            profile.disable()
        return (time.process_time() - started) / len(timed) * 1e6


def cpu_per_request_us(row: str, requests: int = REQUESTS, profile: cProfile.Profile | None = None) -> float:
    """The process's CPU microseconds per request of `row`, after `WARM_UP` untimed ones."""
    with tempfile.TemporaryDirectory(prefix="bench-per-request-") as folder:
        app, path, flush = ROWS[row](Path(folder))
        warm, timed = _requests(path, WARM_UP, 0), _requests(path, requests, WARM_UP)
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(_served(app, flush, warm, timed, profile))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--repeat", type=int, default=REPEAT, help="interleaved runs of every row")
    parser.add_argument("--rows", nargs="*", choices=list(ROWS), default=list(ROWS))
    parser.add_argument("--profile", choices=list(ROWS), help="print cProfile's table for this row instead")
    parser.add_argument("--sort", default="tottime", help="cProfile's sort key (default: %(default)s)")
    parser.add_argument("--lines", type=int, default=40)
    arguments = parser.parse_args()
    if arguments.profile:
        profile = cProfile.Profile()
        cpu_per_request_us(arguments.profile, arguments.requests, profile)
        stats = pstats.Stats(profile)
        print(f"function calls per request: {stats.total_calls / arguments.requests:.0f}")  # type: ignore[attr-defined]
        stats.sort_stats(arguments.sort).print_stats(arguments.lines)
        return
    found: dict[str, list[float]] = {row: [] for row in arguments.rows}
    for _repeat in range(arguments.repeat):  # interleaved: load from elsewhere falls on every row alike
        for row in arguments.rows:
            found[row].append(cpu_per_request_us(row, arguments.requests))
    print(
        f"CPU µs per request, in-process: {arguments.repeat} interleaved runs of {arguments.requests} requests after "
        f"{WARM_UP} untimed; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    best = {row: min(runs) for row, runs in found.items()}
    for row, runs in found.items():
        ratio = f"  {best['bare'] / best[row]:.2f}x the bare app's" if "bare" in best and row != "bare" else ""
        each = " ".join(f"{run:.1f}" for run in runs)
        print(f"  {row:7} least {best[row]:6.1f}  median {statistics.median(runs):6.1f}  ({each}){ratio}")


if __name__ == "__main__":
    main()

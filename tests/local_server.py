"""A real uvicorn server on 127.0.0.1 in a background thread, for tests and benchmarks.
Also `greetline serve` as a process of its own, for tests and benchmarks of process faults.
"""

import os
import queue
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import uvicorn
from fastapi import FastAPI

from ivr.errors import GreetlineError
from ivr.settings import Settings
from ivr.web.serving import server_config

# Starting takes well under a second; this only bounds a server that cannot start at all.
START_TIMEOUT_S = 15.0
# A served process finishes its calls in flight and stops within this after SIGTERM (uvicorn's graceful shutdown).
STOP_TIMEOUT_S = 10.0


@contextmanager
def running_server(
    app: FastAPI, host: str = "127.0.0.1", header_timeout_s: float = Settings.model_fields["header_timeout_s"].default
) -> Iterator[str]:
    """Serve `app` on a free port, as `greetline serve` would; yields its base URL and stops the server on exit."""
    config = server_config(
        app, host=host, port=0, header_timeout_s=header_timeout_s, log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    started = threading.Event()
    original_startup = server.startup

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=None)
        started.set()

    server.startup = startup  # type: ignore[method-assign]
    thread = threading.Thread(target=server.run, name="greetline-local-server", daemon=True)
    thread.start()
    if not started.wait(START_TIMEOUT_S) or not server.servers:
        server.should_exit = True
        raise GreetlineError("the local server did not start; is 127.0.0.1 usable on this machine?")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT_S)


@dataclass
class ServerProcess:
    """A `greetline serve` in a process of its own, for faults a thread cannot show (SIGKILL, SIGTERM, a restart)."""

    process: "subprocess.Popen[str]"
    base_url: str
    output: list[str]


@contextmanager
def server_process(
    environment: dict[str, str], *, arguments: Sequence[str] = (), start_timeout_s: float = 60.0
) -> Iterator[ServerProcess]:
    """Start `greetline serve` on a free port with these GREETLINE_* settings; yields once it accepts calls.

    `arguments`: further options of `serve` (--workers, --access-log).

    On exit the server is stopped as an operator would (SIGTERM, which also stops the workers of `--workers N`),
    and whatever of its process group still runs after `STOP_TIMEOUT_S` is killed: killing only the parent left its
    workers serving on, orphaned. `output` collects its stderr lines (for messages and failures).
    """
    command = [sys.executable, "-m", "ivr", "serve", "--port", "0", "--log-level", "info", *arguments]
    process = subprocess.Popen(
        command,
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, workers included, to stop as one
    )
    assert process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def read(stream: IO[str]) -> None:
        for line in stream:
            output.append(line.rstrip("\n"))
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, args=(process.stderr,), name="greetline-serve-output", daemon=True).start()
    try:
        base_url, started = None, False
        # With --workers the parent names the address before any worker listens: wait for an app to have started.
        while base_url is None or not started:
            try:
                line = lines.get(timeout=start_timeout_s)
            except queue.Empty:
                line = None
            if line is None:
                raise GreetlineError("greetline serve did not start:\n" + "\n".join(output))
            if found := re.search(r"Uvicorn running on (http://\S+)", line):
                base_url = found.group(1)
            started = started or "Application startup complete" in line
        yield ServerProcess(process, base_url, output)
    finally:
        if process.poll() is None:
            process.terminate()
            with suppress(subprocess.TimeoutExpired):
                process.wait(STOP_TIMEOUT_S)
        group = members_of_group(process.pid)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(start_timeout_s)
        # A kill is delivered, not done: wait until every member has ended, so "stopped" means stopped.
        wait_until_ended(group, STOP_TIMEOUT_S)


def members_of_group(group: int) -> list[int]:
    """The processes of a process group still running (not zombies), read from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(stat.parent.name))
    return members


def wait_until_ended(pids: Sequence[int], timeout_s: float) -> None:
    """Block until each process has ended (a pidfd becomes readable when its process exits), at most `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    for pid in pids:
        try:
            descriptor = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            select.select([descriptor], [], [], max(0.0, deadline - time.monotonic()))
        finally:
            os.close(descriptor)

"""A real uvicorn server on 127.0.0.1 in a background thread: the simulator's in-process mode and tests use it."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from ivr.errors import GreetlineError
from ivr.settings import Settings
from ivr.web.serving import server_config

# Starting takes well under a second; this only bounds a server that cannot start at all.
START_TIMEOUT_S = 15.0


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

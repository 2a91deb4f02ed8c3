"""The uvicorn server as `greetline serve` and the tests run it: slow or oversized headers cannot hold a connection.

uvicorn's own timeout (`timeout_keep_alive`) only closes idle connections between requests; a client that opens a
connection and sends its headers a byte at a time is never closed. The protocol below gives the headers of each
request a deadline; the body's deadline and size are the app's (ivr.web.bodies).
"""

import asyncio
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from ivr.console.stream import STREAM_STOP

# Idle keep-alive connections close after this; Twilio opens a new connection when it needs one.
KEEP_ALIVE_S = 5
# h11's bound on a request line plus headers (its default, stated so nobody raises it by accident); more is 400.
MAX_HEADER_BYTES = 16 * 1024
# Connections served at once; more are answered 503 by uvicorn. Each holds at most one bounded body.
MAX_CONNECTIONS = 200

_TOO_SLOW_TEXT = b"the request headers did not arrive in time; send them at once\n"
_HEADERS_TOO_SLOW = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\nconnection: close\r\n"
    b"content-length: %d\r\n\r\n%s" % (len(_TOO_SLOW_TEXT), _TOO_SLOW_TEXT)
)


class _HeaderDeadlineProtocol(H11Protocol):
    header_timeout_s = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_headers():
            self._arm()  # a kept-alive connection starting its next request
        super().data_received(data)
        if not self._waiting_for_headers():
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # until the next request's first byte, uvicorn's keep-alive timeout applies

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        """uvicorn's graceful shutdown waits for every open response; an event stream would never end by itself, so
        it is told to end (it finishes its response cleanly, and the browser reconnects to another replica)."""
        if self.cycle is not None and not self.cycle.response_complete:
            stop = self.scope.get(STREAM_STOP)
            if isinstance(stop, asyncio.Event):
                stop.set()
        super().shutdown()

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.write(_HEADERS_TOO_SLOW)
            self.transport.close()


class WorkerProtocol(_HeaderDeadlineProtocol):
    """The protocol of `greetline serve --workers N`: each worker process imports it by name (uvicorn cannot hand a
    class made at run time to another process), and its header deadline is set by the worker's app factory."""


def app_for_worker() -> FastAPI:
    """The app in each worker of `greetline serve --workers N`, from the GREETLINE_* environment `serve` set."""
    from ivr.web.process_levers import built_without_collecting

    with built_without_collecting():
        from ivr.settings import Settings
        from ivr.web.app import create_app

        settings = Settings()
        WorkerProtocol.header_timeout_s = settings.header_timeout_s
        return create_app(settings)


WORKER_APP = "ivr.web.serving:app_for_worker"
WORKER_PROTOCOL = "ivr.web.serving:WorkerProtocol"


def server_config(
    app: FastAPI | None, *, host: str, port: int, header_timeout_s: float, workers: int = 1, **options: Any
) -> uvicorn.Config:
    """`app` None: `workers` processes, each building its app from the environment (`app_for_worker`).

    `options`: further uvicorn settings (log level, access log, lifespan); the limits above are not among them.
    """
    limits: dict[str, Any] = {
        "timeout_keep_alive": KEEP_ALIVE_S,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "limit_concurrency": MAX_CONNECTIONS,
    }
    if app is None:
        return uvicorn.Config(
            WORKER_APP, factory=True, workers=workers, host=host, port=port, http=WORKER_PROTOCOL, **limits, **options
        )
    protocol = type("HeaderDeadlineProtocol", (_HeaderDeadlineProtocol,), {"header_timeout_s": header_timeout_s})
    return uvicorn.Config(app, host=host, port=port, http=protocol, **limits, **options)

"""A calendar server on 127.0.0.1: serves iCalendar feeds as Google Agenda's secret address does, and each bad
answer a feed can give (not a calendar, too big, slow, a redirect). Each test says what a path answers.

Use `calendar_feed` from a test module with `pytest_plugins = ["tests.fakes.calendar_feed"]`.
PYTEST_DONT_REWRITE
"""

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    location: str | None = None
    # Send the headers and the first bytes, then hold the rest until the test ends (a server that drips).
    stall: bool = False
    content_type: str = "text/calendar; charset=utf-8"


@dataclass
class FakeCalendarServer:
    base_url: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    # The Host header of each request, in order: which name the fetcher asked for at this address.
    hosts: list[str] = field(default_factory=list)
    server_names: list[str] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def serve(self, path: str, answer: Answer) -> str:
        self.answers[path] = answer
        return f"{self.base_url}{path}"


def _handler(fake: FakeCalendarServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append(self.path)
            fake.hosts.append(self.headers.get("Host", ""))
            answer = fake.answers.get(self.path, Answer(b"not found", 404))
            self.send_response(answer.status)
            if answer.location:
                self.send_header("Location", answer.location)
            self.send_header("Content-Type", answer.content_type)
            if not answer.stall:
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.stall:
                self.wfile.write(answer.body[:10])
                self.wfile.flush()
                fake.released.wait(30)
                return
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def calendar_server(
    host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
) -> Iterator[FakeCalendarServer]:
    """A calendar server at `host` (127.0.0.2 too: all of 127/8 is this machine's loopback), on `port` or any;
    with `tls`, over https, noting the server name each client asked for (SNI) in `server_names`."""
    fake = FakeCalendarServer()
    server = ThreadingHTTPServer((host, port), _handler(fake))
    server.daemon_threads = True
    if tls is not None:

        def heard(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
            fake.server_names.append(name or "")

        tls.sni_callback = heard  # type: ignore[assignment]
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    fake.base_url = f"{'https' if tls else 'http'}://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.released.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def calendar_feed() -> Iterator[FakeCalendarServer]:
    with calendar_server() as fake:
        yield fake

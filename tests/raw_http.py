"""Raw HTTP/1.1 over a socket: requests httpx will not send (a huge Content-Length and no body, chunks that never
end, headers that stop halfway), and how much of the body the server let through before it answered."""

import select
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

# Bounds a server that never answers; a working one answers in milliseconds.
ANSWER_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: the server closed the connection without answering
    text: str
    body_bytes_sent: int


def address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The pieces in chunked transfer encoding, without the closing chunk: a body that never ends."""
    for piece in pieces:
        yield b"%x\r\n%s\r\n" % (len(piece), piece)


def repeated(piece_bytes: int, total_bytes: int) -> Iterator[bytes]:
    piece = b"x" * piece_bytes
    for _ in range(total_bytes // piece_bytes):
        yield piece


def push(server: tuple[str, int], head: bytes, body: Iterable[bytes] = ()) -> Answer:
    """Send the head, then body pieces until the server answers (or stops reading); read its answer."""
    sent = 0
    with socket.create_connection(server, timeout=ANSWER_TIMEOUT_S) as connection:
        connection.sendall(head)
        for piece in body:
            if _answered(connection):
                break
            try:
                connection.sendall(piece)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break
            sent += len(piece)
        status, text = _read_answer(connection)
    return Answer(status, text, sent)


def _answered(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0)
    return bool(readable)


def _read_answer(connection: socket.socket) -> tuple[int | None, str]:
    received = b""
    try:
        while b"\r\n\r\n" not in received or len(received) < _expected_length(received):
            data = connection.recv(65536)
            if not data:
                break
            received += data
    except (ConnectionResetError, TimeoutError):
        pass
    if not received.startswith(b"HTTP/1.1 "):
        return None, received.decode("latin-1")
    return int(received[9:12]), received.decode("latin-1")


def _expected_length(received: bytes) -> int:
    head, _, _ = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(head) + 4 + int(value)
    return 1 << 62  # no length: read until the server closes

"""An OpenAI-compatible transcription API (`POST /v1/audio/transcriptions`) on 127.0.0.1, as a self-hosted
faster-whisper server or a cloud provider answers it: it cannot understand audio, so each test says what it
answers. Everything it receives is logged; it can also be down (an HTTP error) or slow.

Use `transcription_api` from a test module with `pytest_plugins = ["tests.fakes.transcription_api"]`.
PYTEST_DONT_REWRITE
"""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

API_KEY = "sk-test-" + "7" * 24
ENDPOINT = "/v1/audio/transcriptions"


@dataclass(frozen=True)
class Received:
    fields: dict[str, str]
    audio: bytes
    authorization: str | None


@dataclass
class FakeTranscriptionApi:
    base_url: str = ""
    # What it answers (verbose_json): text, language, segments.
    text: str = ""
    language: str = "dutch"
    avg_logprob: float = -0.3
    # Not 200: it answers this status with an error body (a server that is down or overloaded).
    status: int = 200
    delay_s: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, language_asked: str | None) -> dict[str, Any]:
        return {
            "task": "transcribe",
            "language": language_asked or self.language,
            "duration": 10.0,
            "text": self.text,
            "segments": [{"id": 0, "start": 0.0, "end": 10.0, "text": self.text, "avg_logprob": self.avg_logprob}],
        }


def _form(content_type: str, body: bytes) -> tuple[dict[str, str], bytes]:
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, str] = {}
    audio = b""
    for part in message.iter_parts() if isinstance(message, Message) else []:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if name == "file":
            audio = payload
        elif isinstance(name, str):
            fields[name] = payload.decode()
    return fields, audio


def _handler(fake: FakeTranscriptionApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def _json(self, status: int, data: object) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path != ENDPOINT:
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            fields, audio = _form(self.headers.get("Content-Type", ""), body)
            with fake.lock:
                fake.received.append(Received(fields, audio, self.headers.get("Authorization")))
                status, delay_s = fake.status, fake.delay_s
            if delay_s:
                time.sleep(delay_s)  # the server is slow: the client's timeout is what is tested
            if status != 200:
                self._json(status, {"error": {"message": "the model is overloaded", "type": "server_error"}})
                return
            self._json(200, fake.answer(fields.get("language")))

    return Handler


@pytest.fixture
def transcription_api() -> Iterator[FakeTranscriptionApi]:
    fake = FakeTranscriptionApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, name="fake-transcription-api", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

"""Twilio's REST API as far as Greetline uses it, on 127.0.0.1: recordings behind HTTP basic auth (fetch as
.mp3, delete, list as Recordings.json), the account's calls (list as Calls.json) and Messages.json (send a text).
Everything it receives is logged.

Use `twilio_api` from a test module with `pytest_plugins = ["tests.fakes.twilio_api"]`, or `running_twilio_api`.
PYTEST_DONT_REWRITE
"""

import base64
import json
import re
import secrets
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import TEST_TOKEN

ACCOUNT_SID = "AC" + "1" * 32
# The auth token signs webhooks and authenticates REST requests alike, as on a real account.
AUTH_TOKEN = TEST_TOKEN
_ACCOUNT = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-zA-Z]+)")
_RECORDING = re.compile(r"^/2010-04-01/Accounts/AC[0-9a-zA-Z]+/Recordings/(RE[0-9a-fA-F]{32})\.(mp3|wav|json)$")
_SUBPROCESS_TIMEOUT_S = 30.0


@cache
def voicemail_mp3() -> bytes:
    """Two seconds of a tone as MP3, made by the real ffmpeg (as Twilio's recordings are MP3 on request)."""
    result = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=2",
            "-ac",
            "1",
            "-ar",
            "8000",
            "-b:a",
            "16k",
            "-f",
            "mp3",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
        timeout=_SUBPROCESS_TIMEOUT_S,
    )
    return result.stdout


@dataclass
class StoredRecording:
    sid: str
    call_sid: str
    duration_s: int
    created: datetime
    audio: bytes
    # When the caller began the message (the resource's start_time); the creation time unless told.
    started: datetime | None = None


@dataclass
class StoredCall:
    """A call as Twilio's Calls list shows it; a dialled leg names its parent (direction outbound-dial)."""

    sid: str
    from_number: str
    to_number: str
    status: str
    start: datetime
    end: datetime | None
    duration_s: int | None
    parent_sid: str | None = None
    direction: str = "inbound"


@dataclass
class FakeTwilio:
    base_url: str = ""
    recordings: dict[str, StoredRecording] = field(default_factory=dict)
    calls: dict[str, StoredCall] = field(default_factory=dict)
    texts: list[dict[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    refused_auth: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def wait_for_texts(self, count: int, timeout_s: float = 20.0) -> int:
        with self.changed:
            self.changed.wait_for(lambda: len(self.texts) >= count, timeout_s)
            return len(self.texts)

    def add_recording(
        self,
        sid: str,
        call_sid: str,
        duration_s: int = 14,
        created: datetime | None = None,
        started: datetime | None = None,
        audio: bytes | None = None,
    ) -> str:
        """Twilio holds a recording (`audio`, by default a tone); returns the RecordingUrl a callback would name."""
        with self.lock:
            self.recordings[sid] = StoredRecording(
                sid, call_sid, duration_s, created or datetime.now(UTC), audio or voicemail_mp3(), started
            )
        return self.recording_url(sid)

    def add_call(self, call: StoredCall) -> None:
        with self.lock:
            self.calls[call.sid] = call

    def recording_url(self, sid: str) -> str:
        return f"{self.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: object) -> None:
            self._answer(status, json.dumps(data).encode())

        def _authorised(self) -> bool:
            expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            account = _ACCOUNT.match(self.path)
            if self.headers.get("Authorization") != expected or account is None or account[1] != ACCOUNT_SID:
                with fake.lock:
                    fake.refused_auth += 1
                self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
                return False
            return True

        def do_GET(self) -> None:
            if not self._authorised():
                return
            path = urllib.parse.urlsplit(self.path).path
            found = _RECORDING.match(path)
            if found:
                with fake.lock:
                    recording = fake.recordings.get(found[1])
                    if recording is not None:
                        fake.fetched.append(found[1])
                if recording is None:
                    self._json(404, {"code": 20404, "message": "not found", "status": 404})
                else:
                    self._answer(200, recording.audio, "audio/mpeg")
                return
            if path.endswith("/Recordings.json"):
                with fake.lock:
                    listed = sorted(fake.recordings.values(), key=lambda r: r.created, reverse=True)
                self._json(200, {"recordings": [self._resource(r) for r in listed], "next_page_uri": None})
                return
            if path.endswith("/Calls.json"):
                with fake.lock:
                    calls = sorted(fake.calls.values(), key=lambda c: c.start, reverse=True)
                self._json(200, {"calls": [_call_resource(c) for c in calls], "next_page_uri": None})
                return
            self._json(404, {"message": f"the fake has no {path}"})

        def _resource(self, recording: StoredRecording) -> dict[str, object]:
            return {
                "sid": recording.sid,
                "account_sid": ACCOUNT_SID,
                "call_sid": recording.call_sid,
                "duration": str(recording.duration_s),
                "status": "completed",
                "date_created": format_datetime(recording.created, usegmt=True),
                "start_time": format_datetime(recording.started or recording.created, usegmt=True),
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{recording.sid}.json",
            }

        def do_DELETE(self) -> None:
            if not self._authorised():
                return
            found = _RECORDING.match(urllib.parse.urlsplit(self.path).path)
            with fake.lock:
                existed = found is not None and fake.recordings.pop(found[1], None) is not None
                if existed and found is not None:
                    fake.deleted.append(found[1])
            self._answer(204 if existed else 404)

        def do_POST(self) -> None:
            if not self._authorised():
                return
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if not urllib.parse.urlsplit(self.path).path.endswith("/Messages.json"):
                self._json(404, {"message": f"the fake has no {self.path}"})
                return
            if not form.get("To", "").startswith("+"):
                self._json(400, {"code": 21211, "message": f"The 'To' number {form.get('To')} is not valid"})
                return
            sid = "SM" + secrets.token_hex(16)
            with fake.changed:
                fake.texts.append(form)
                fake.changed.notify_all()
            self._json(
                201,
                {
                    "sid": sid,
                    "account_sid": ACCOUNT_SID,
                    "to": form["To"],
                    "from": form.get("From"),
                    "body": form.get("Body"),
                    "status": "queued",
                },
            )

    return Handler


def _call_resource(call: StoredCall) -> dict[str, object]:
    return {
        "sid": call.sid,
        "account_sid": ACCOUNT_SID,
        "parent_call_sid": call.parent_sid,
        "from": call.from_number,
        "to": call.to_number,
        "status": call.status,
        "direction": call.direction,
        "start_time": format_datetime(call.start, usegmt=True),
        "end_time": format_datetime(call.end, usegmt=True) if call.end else None,
        "duration": str(call.duration_s) if call.duration_s is not None else None,
        "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{call.sid}.json",
    }


@contextmanager
def running_twilio_api() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fake-twilio-api", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def twilio_api() -> Iterator[FakeTwilio]:
    with running_twilio_api() as fake:
        yield fake


def write_mp3(path: Path) -> Path:
    path.write_bytes(voicemail_mp3())
    return path

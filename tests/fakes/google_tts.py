"""Google Translate's speech endpoint, reached the way gTTS reaches it: over HTTPS through a proxy.

The fake is an HTTP proxy on 127.0.0.1 that accepts `CONNECT translate.google.<tld>:443`, terminates TLS with a
certificate from a throwaway CA (made with the openssl CLI), and answers the batchexecute POST in Google's
envelope, carrying real mp3 made by espeak-ng and ffmpeg. Replies are scripted per request (busy, broken,
stalled, dropped) and every request is logged, so tests assert on what actually crossed the wire.

Use it from a test module with `pytest_plugins = ["tests.fakes.google_tts"]` and the fixtures at the end.
PYTEST_DONT_REWRITE: nothing here asserts, and test modules import it before pytest registers it as a plugin.
"""

import base64
import enum
import itertools
import json
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

BATCHEXECUTE_PATH = "/_/TranslateWebserverUi/data/batchexecute"
_SUBPROCESS_TIMEOUT_S = 30.0
# Google's speech comes as MPEG-2 layer III, 24 kHz mono, 32 kbit/s, frames only (no ID3 tag, no Xing header).
_GOOGLE_MP3_ARGUMENTS = ["-ar", "24000", "-ac", "1", "-b:a", "32k", "-write_xing", "0", "-id3v2_version", "0"]


class Reply(enum.Enum):
    AUDIO = "200 with the mp3 in the rpc envelope"
    TOO_MANY_REQUESTS = "429, as Google answers when it rate-limits an address"
    SERVER_ERROR = "503"
    CONSENT_PAGE = "200 with an HTML page and no rpc at all (gTTS writes an empty file for this)"
    RPC_ERROR = "200 with the rpc envelope but an error instead of audio"
    NOT_AUDIO = "200 with a well-formed envelope whose base64 payload is not audio"
    DROP = "the connection closes without an answer"
    STALL = "no answer until the fake stops"


@dataclass(frozen=True)
class SeenRequest:
    tunnel_host: str
    path: str
    text: str
    language: str
    received_s: float  # time.monotonic() when the request arrived
    reply: Reply


@dataclass(frozen=True)
class FakeCertificates:
    ca_path: Path
    cert_path: Path
    key_path: Path


def make_certificates(directory: Path, host: str = "translate.google.com") -> FakeCertificates:
    """A CA and a server certificate for `host` signed by it; the client trusts only this CA."""
    ca_key, ca_path = directory / "ca.key", directory / "ca.pem"
    key_path, csr_path, cert_path = directory / "server.key", directory / "server.csr", directory / "server.pem"
    extensions = directory / "server.ext"
    extensions.write_text(
        f"subjectAltName=DNS:{host}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    new_ec_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    ca_extensions = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    ca_subject = ["-subj", "/CN=Test CA", *ca_extensions]
    _openssl("req", "-x509", *new_ec_key, "-days", "2", "-keyout", ca_key, "-out", ca_path, *ca_subject)
    _openssl("req", "-new", *new_ec_key, "-keyout", key_path, "-out", csr_path, "-subj", f"/CN={host}")
    signing: list[str | Path] = ["-CA", ca_path, "-CAkey", ca_key, "-CAcreateserial", "-extfile", extensions]
    _openssl("x509", "-req", "-in", csr_path, *signing, "-days", "2", "-out", cert_path)
    return FakeCertificates(ca_path=ca_path, cert_path=cert_path, key_path=key_path)


def _openssl(*arguments: str | Path) -> None:
    command = ["openssl", *map(str, arguments)]
    subprocess.run(command, capture_output=True, check=True, timeout=_SUBPROCESS_TIMEOUT_S)


def espeak_mp3(text: str, voice: str = "en-gb") -> bytes:
    """Real speech in the shape Google sends it: espeak-ng renders, ffmpeg encodes."""
    with tempfile.TemporaryDirectory(prefix="fake-google-") as directory:
        wav_path = Path(directory) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-b", "1", "--stdin", "-w", str(wav_path)],
            input=text.encode("utf-8"),
            capture_output=True,
            check=True,
            timeout=_SUBPROCESS_TIMEOUT_S,
        )
        encoded = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(wav_path), *_GOOGLE_MP3_ARGUMENTS, "-f", "mp3", "pipe:1"],
            capture_output=True,
            check=True,
            timeout=_SUBPROCESS_TIMEOUT_S,
        )
    return encoded.stdout


def batchexecute_answer(rpc_payload: str | None) -> bytes:
    """Google's framing: an anti-JSON-hijacking prefix, then length-prefixed JSON arrays, the rpc result first."""
    arrays = [
        [["wrb.fr", "jQ1olc", rpc_payload, None, None, None if rpc_payload else [3], "generic"]],
        [["di", 74], ["af.httprm", 73, "-2881386214937367093", 28]],
        [["e", 4, None, None, 912]],
    ]
    body = ")]}'\n"
    for array in arrays:
        line = json.dumps(array, separators=(",", ":"))
        body += f"\n{len(line) + 1}\n{line}"
    return body.encode("utf-8")


def audio_payload(audio: bytes) -> str:
    return json.dumps([base64.b64encode(audio).decode("ascii")])


_CONSENT_PAGE = b"<!doctype html><html><title>Before you continue to Google</title><body>consent</body></html>"


class FakeGoogleTranslate:
    def __init__(self, audio: bytes, certificates: FakeCertificates) -> None:
        self.audio = audio
        self.default = Reply.AUDIO
        self.seen: list[SeenRequest] = []
        self.tunnels: list[str] = []
        self.handler_errors: list[str] = []
        self._queued: list[Reply] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls_context.load_cert_chain(certificates.cert_path, certificates.key_path)
        self._server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler, fake=self)
        # serve_forever checks for shutdown once per poll interval; the default 0.5 s would dominate each test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-google", daemon=True
        )

    @property
    def proxy_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def queue(self, *replies: Reply) -> None:
        """The next requests get these replies in order; after that, `default`."""
        with self._lock:
            self._queued.extend(replies)

    def texts(self) -> list[str]:
        return [request.text for request in self.seen]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._queued.pop(0) if self._queued else self.default

    def _record(self, request: SeenRequest) -> None:
        with self._lock:
            self.seen.append(request)


@contextmanager
def fake_google_translate(audio: bytes, certificates: FakeCertificates) -> Iterator[FakeGoogleTranslate]:
    fake = FakeGoogleTranslate(audio, certificates)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], fake: FakeGoogleTranslate):
        self.fake = fake
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that refuses our certificate aborts the handshake; that is a test outcome, not noise for stderr.
        self.fake.handler_errors.append(repr(sys.exc_info()[1]))


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle kept-alive tunnel must not keep a handler thread forever
    tunnel_host = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_CONNECT(self) -> None:
        host, _, port = self.path.rpartition(":")
        self.server.fake.tunnels.append(self.path)
        if not host.startswith("translate.google.") or port != "443":
            self._answer(403, b"this fake only stands in for translate.google.*:443", "text/plain")
            self.close_connection = True
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        # From here on the client speaks TLS to "Google"; keep serving requests inside the tunnel.
        tls = self.server.fake.tls_context.wrap_socket(self.connection, server_side=True)
        self.connection = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.tunnel_host = host
        # http.client sends CONNECT as HTTP/1.0, which would end the connection right after this answer.
        self.close_connection = False

    def finish(self) -> None:
        super().finish()
        # The TLS socket took over the client's descriptor, so the server's own cleanup no longer reaches it.
        if self.tunnel_host:
            self.connection.close()

    def do_POST(self) -> None:
        fake = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not self.tunnel_host or self.path != BATCHEXECUTE_PATH:
            self._answer(404, b"not the batchexecute endpoint", "text/plain")
            return
        text, language = _spoken_text(body)
        reply = fake._next_reply()
        fake._record(SeenRequest(self.tunnel_host, self.path, text, language, time.monotonic(), reply))
        if reply is Reply.STALL:
            fake._released.wait()
            self.close_connection = True
        elif reply is Reply.DROP:
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif reply is Reply.TOO_MANY_REQUESTS:
            self._answer(429, b"<html><title>Sorry...</title>unusual traffic from your network</html>", "text/html")
        elif reply is Reply.SERVER_ERROR:
            self._answer(503, b"<html><title>Error 503</title></html>", "text/html")
        elif reply is Reply.CONSENT_PAGE:
            self._answer(200, _CONSENT_PAGE, "text/html; charset=utf-8")
        elif reply is Reply.RPC_ERROR:
            self._answer(200, batchexecute_answer(None), "application/json; charset=utf-8")
        elif reply is Reply.NOT_AUDIO:
            payload = audio_payload(b"this is not an mp3 frame " * 40)
            self._answer(200, batchexecute_answer(payload), "application/json; charset=utf-8")
        else:
            self._answer(200, batchexecute_answer(audio_payload(fake.audio)), "application/json; charset=utf-8")

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


def _spoken_text(body: bytes) -> tuple[str, str]:
    """The text and language gTTS packed into f.req: [[["jQ1olc", "[text, lang, speed, \"null\"]", null, ...]]]."""
    form = urllib.parse.parse_qs(body.decode("utf-8"))
    rpc = json.loads(form["f.req"][0])
    parameters = json.loads(rpc[0][0][1])
    return str(parameters[0]), str(parameters[1])


def decoded_duration_s(audio: bytes) -> float:
    """Independent of the product's own check: decode with ffmpeg and count samples."""
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", "8000", "pipe:1"],
        input=audio,
        capture_output=True,
        check=True,
        timeout=_SUBPROCESS_TIMEOUT_S,
    )
    return len(pcm.stdout) / (2 * 8000)


def seen_gaps_s(requests: Sequence[SeenRequest]) -> list[float]:
    return [later.received_s - earlier.received_s for earlier, later in itertools.pairwise(requests)]


@pytest.fixture(scope="session")
def google_certificates(tmp_path_factory: pytest.TempPathFactory) -> FakeCertificates:
    return make_certificates(tmp_path_factory.mktemp("fake-google-certificates"))


@pytest.fixture(scope="session")
def google_clip() -> bytes:
    """The mp3 the fake answers every chunk with."""
    return espeak_mp3("Thank you for calling.")


@pytest.fixture(scope="session")
def google_clip_s(google_clip: bytes) -> float:
    return decoded_duration_s(google_clip)


@pytest.fixture
def google(google_clip: bytes, google_certificates: FakeCertificates) -> Iterator[FakeGoogleTranslate]:
    with fake_google_translate(google_clip, google_certificates) as fake:
        yield fake


@pytest.fixture
def unreachable_proxy_url() -> str:
    """A proxy address on 127.0.0.1 where nothing listens: Google out of reach, refused at once."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port: int = unused.getsockname()[1]
    return f"http://127.0.0.1:{port}"

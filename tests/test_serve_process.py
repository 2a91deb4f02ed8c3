"""`greetline serve` as a real process under process faults: SIGKILL and SIGTERM under load, a start without a
database. Call-log rows are counted against the calls the client saw answered."""

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.local_server import ServerProcess, server_process

# Bounds for a server that hangs or a client that never gets there; normally reached in seconds.
WAIT_S = 60.0
ANSWERED_BEFORE_THE_FAULT = 200
CLIENTS = 4
# A SIGKILL may lose the call log of the calls answered in this last stretch (issue 8: at most one second).
LOSS_WINDOW_S = 1.0


def environment(settings: Settings) -> dict[str, str]:
    return {
        "GREETLINE_DATABASE_URL": settings.database_url,
        "GREETLINE_MEDIA_DIR": str(settings.media_dir),
        "GREETLINE_SNAPSHOT_PATH": str(settings.snapshot_path),
        "GREETLINE_CALL_LOG_SPILL_PATH": str(settings.call_log_spill_path),
        "GREETLINE_PUBLIC_URL": PUBLIC_URL,
        "GREETLINE_TWILIO_AUTH_TOKEN": TEST_TOKEN,
        "GREETLINE_SESSION_SECRET": "serve-process-test-session-secret",
    }


@pytest.fixture
def applied(settings: Settings, demo_text: str) -> Settings:
    upgrade(settings.database_url)
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, demo_text, datetime.now(UTC))
    database.dispose()
    return settings


def signed_call(call_sid: str) -> tuple[dict[str, str], dict[str, str]]:
    form = {"CallSid": call_sid, "AccountSid": "AC0123", "From": "+31612345678", "To": "+31501234567"}
    signature = RequestValidator(TEST_TOKEN).compute_signature(f"{PUBLIC_URL}/twilio/voice", form)
    return form, {"X-Twilio-Signature": signature}


@dataclass
class Load:
    """Clients calling as fast as the server answers; each answered call's sid and when the answer arrived."""

    base_url: str
    answered: dict[str, float] = field(default_factory=dict)
    enough: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, client_index: int) -> None:
        with httpx.Client(base_url=self.base_url, timeout=10.0) as http:
            for number in range(1_000_000):
                if self.stop.is_set():
                    return
                sid = f"CA{client_index:02}{number:030}"
                form, headers = signed_call(sid)
                try:
                    response = http.post("/twilio/voice", data=form, headers=headers)
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code == 200 and "<Response>" in response.text:
                    with self.lock:
                        self.answered[sid] = time.monotonic()
                        if len(self.answered) >= ANSWERED_BEFORE_THE_FAULT:
                            self.enough.set()


@contextmanager
def under_load(server: ServerProcess) -> Iterator[Load]:
    load = Load(server.base_url)
    clients = [threading.Thread(target=load.run, args=(index,), daemon=True) for index in range(CLIENTS)]
    for client in clients:
        client.start()
    try:
        assert load.enough.wait(WAIT_S), "the server did not answer enough calls:\n" + "\n".join(server.output)
        yield load
    finally:
        load.stop.set()
        for client in clients:
            client.join(WAIT_S)


def logged_sids(settings: Settings) -> set[str]:
    database = Database(settings.database_url)
    with database.engine.connect() as connection:
        sids = {row[0] for row in connection.exec_driver_sql("SELECT call_sid FROM calls")}
    database.dispose()
    return sids


def test_sigkill_under_load_loses_at_most_the_calls_of_the_last_second(applied: Settings) -> None:
    with server_process(environment(applied)) as server, under_load(server) as load:
        server.process.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        server.process.wait(WAIT_S)
        with load.lock:
            answered = dict(load.answered)
    lost = set(answered) - logged_sids(applied)
    last_second = {sid for sid, at in answered.items() if killed_at - at <= LOSS_WINDOW_S}
    assert len(answered) >= ANSWERED_BEFORE_THE_FAULT
    assert lost <= last_second, f"{len(lost - last_second)} calls answered over {LOSS_WINDOW_S} s before the kill"


def test_sigterm_under_load_stores_every_answered_call(applied: Settings) -> None:
    with server_process(environment(applied)) as server, under_load(server) as load:
        server.process.send_signal(signal.SIGTERM)
        # uvicorn ends by raising the signal again once it has shut down cleanly (the lifespan ran to its end).
        assert server.process.wait(WAIT_S) in (0, -signal.SIGTERM)
        assert "Application shutdown complete." in "\n".join(server.output)
        with load.lock:
            answered = set(load.answered)
    assert answered - logged_sids(applied) == set()


def test_serve_starts_without_a_database_and_rings_the_staff_from_the_snapshot(applied: Settings) -> None:
    down = {**environment(applied), "GREETLINE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    with server_process(down) as server, httpx.Client(base_url=server.base_url, timeout=10.0) as http:
        health = http.get("/healthz")
        form, headers = signed_call("CA" + "0" * 32)
        response = http.post("/twilio/voice", data=form, headers=headers)
    assert any("answering calls from the routing snapshot" in line for line in server.output)
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert response.status_code == 200
    assert "<Number>+31501111111</Number><Number>+31502222222</Number>" in response.text


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def running(pid: int) -> bool:
    """Still a process, and not only an exit status waiting to be collected (a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_serve_with_workers_answers_signed_calls_from_every_process(applied: Settings) -> None:
    # The workers build their apps from the environment: the signature, the public URL and the database reach them.
    command = ["--workers", "2"]
    calls = [signed_call(f"CA{n:032}") for n in range(20)]
    with (
        server_process(environment(applied), arguments=command) as server,
        httpx.Client(base_url=server.base_url) as http,
    ):
        answers = [http.post("/twilio/voice", data=form, headers=headers) for form, headers in calls]
        forged = http.post("/twilio/voice", data=calls[0][0], headers={"X-Twilio-Signature": "forged"})
        workers = children_of(server.process.pid)
    # Stopped as a whole: the workers end with their parent (they used to live on, orphaned, serving the port).
    assert len(workers) >= 2 and [pid for pid in workers if running(pid)] == []
    # Answered by the business's flow (what it says depends on the hour), not the unknown-number message.
    assert all(answer.status_code == 200 and ("<Dial" in answer.text or "<Record" in answer.text) for answer in answers)
    assert forged.status_code == 403
    # The access log is off unless asked for: no request line among the server's output.
    assert not any('"POST /twilio/voice HTTP/1.1"' in line for line in server.output)

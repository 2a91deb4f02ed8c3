"""`greetline serve` stops promptly with a console's event stream open (issue 26). uvicorn's graceful shutdown waits
for every open response, and an event stream never ends by itself: the server's protocol tells it to end
(ivr.web.serving), and the stream finishes its response cleanly, so the browser reconnects elsewhere."""

import signal
import time
from datetime import UTC, datetime

import httpx

from ivr.roles import ANSWERING
from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.local_server import server_process
from tests.test_serve_process import environment
from tests.web.test_admin import csrf

EMAIL, PASSWORD = "telefoniste@bureau.example", "een-lang-wachtwoord"
# Without the stream's stop the server waited for it for good (uvicorn has no graceful-shutdown timeout set).
STOPS_WITHIN_S = 3.0


def test_serve_stops_promptly_with_a_console_stream_open(settings: Settings, demo_text: str) -> None:
    upgrade(settings.database_url)
    database = Database(settings.database_url, settings.snapshot_path)
    business_id = apply_text(database, demo_text, datetime.now(UTC)).stored.id
    with database.transaction() as session:
        now = datetime.now(UTC)
        staff.set_login(session, business_id=business_id, email=EMAIL, password=PASSWORD, now=now, role=ANSWERING)
    database.dispose()
    # Plain http, so the session cookie is sent back over the test's plain connection.
    plain = {**environment(settings), "GREETLINE_PUBLIC_URL": "http://greetline.test"}
    with server_process(plain) as served, httpx.Client(base_url=served.base_url, timeout=10) as http:
        form = {"email": EMAIL, "password": PASSWORD, "csrf": csrf(http.get("/admin/login").text)}
        assert http.post("/admin/login", data=form).status_code == 303
        with http.stream("GET", "/console/events") as stream:
            lines = stream.iter_lines()
            assert next(lines).startswith("retry:")
            served.process.terminate()
            asked_at = time.monotonic()
            rest = list(lines)  # the stream ends, cleanly: no error reading it
            served.process.wait(10)
            stopped_after_s = time.monotonic() - asked_at
    assert all(line == "" or line.startswith(":") for line in rest)
    # uvicorn raises the signal again once it has shut down gracefully: ended by SIGTERM, after a clean shutdown.
    assert served.process.returncode == -signal.SIGTERM and "Application shutdown complete." in served.output[-2]
    assert stopped_after_s < STOPS_WITHIN_S, f"serve took {stopped_after_s:.1f} s to stop with a console open"

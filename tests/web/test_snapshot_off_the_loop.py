"""A routing snapshot rewritten by another process is read in a worker thread, never on the event loop.

With 10,000 businesses the file is megabytes of JSON; read on the event loop it would hold every call in flight.
The test puts a named pipe where the file was: whoever reads it blocks until the test writes. While the call that
found the file changed is blocked reading, the server must still answer other requests; then it gets the new file
and the call is answered.
"""

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.twilio_client import TwilioLikeClient, twilio_client

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
NUMBER = "+31501234567"
NEW_STAFF = ["+31509999999"]
# Bounds a server that never reads the pipe (the test then fails instead of hanging); not a timing assertion.
GIVE_UP_S = 30.0


def open_for_writing(path: Path) -> int:
    """Opening a named pipe for writing blocks until a reader has opened it: the server's read has begun."""
    opened: list[int] = []
    opener = threading.Thread(target=lambda: opened.append(os.open(path, os.O_WRONLY)), daemon=True)
    opener.start()
    opener.join(GIVE_UP_S)
    assert opened, "the server never read the rewritten routing snapshot"
    return opened[0]


def test_a_rewritten_snapshot_is_read_beside_the_event_loop(settings: Settings, demo_text: str, tmp_path: Path) -> None:
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, demo_text, NOW)  # writes the snapshot, as `greetline apply` does
    database.dispose()
    assert settings.snapshot_path is not None
    rewritten = json.loads(settings.snapshot_path.read_text("utf-8"))
    rewritten["numbers"][NUMBER]["operators"] = NEW_STAFF
    app: FastAPI = create_app(settings)
    with twilio_client(app) as client:
        assert client.post("/twilio/voice").status_code == 200  # the business is in memory now
        pipe = tmp_path / "pipe"
        os.mkfifo(pipe)
        os.replace(pipe, settings.snapshot_path)  # another process rewrote the file
        answers: list[httpx.Response] = []
        with httpx.Client(base_url=str(client.http.base_url), timeout=GIVE_UP_S) as second:
            caller = threading.Thread(target=lambda: answers.append(TwilioLikeClient(second).post("/twilio/voice")))
            caller.start()
            writer = open_for_writing(settings.snapshot_path)
            # The call's read of the file is under way and blocked: the event loop must still be free.
            assert client.http.get("/").status_code == 200
            with os.fdopen(writer, "w", encoding="utf-8") as pipe_end:
                pipe_end.write(json.dumps(rewritten))
                # The file as the other process leaves it, for any later read: a pipe, read again, would block.
                regular = tmp_path / "rewritten.json"
                regular.write_text(json.dumps(rewritten), "utf-8")
                os.replace(regular, settings.snapshot_path)
            caller.join(GIVE_UP_S)
    assert [answer.status_code for answer in answers] == [200]
    found = app.state.services.directory.last_known(NUMBER)
    assert found is not None and list(found.operators) == NEW_STAFF

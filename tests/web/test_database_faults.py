"""Voice webhooks under database faults, through the real HTTP app: a stalled PostgreSQL (a TCP proxy that
accepts and forwards nothing), a SQLite database locked by another process, a database down from the start.

Each call must be answered with TwiML that dials the staff. How fast is measured in bench/reliability.py (within
3 s, docs/reliability.md); here the client's timeout only catches a hang.
"""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.store.snapshot import RoutingSnapshot
from ivr.usecases.documents import apply_text
from ivr.usecases.editing import change_parts
from ivr.web.app import create_app
from tests.fakes.sqlite_lock import exclusive_lock
from tests.fakes.tcp_proxy import StallingProxy, stalling_proxy
from tests.twilio_client import TwilioLikeClient, twilio_client

TUESDAY_10_LOCAL = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
STAFF = ["+31501111111", "+31502222222"]
# The voice webhooks; /whisper runs on the answering service's leg and is covered by the deadline the same way.
VOICE_CALLS = [
    ("/twilio/voice", {}),
    ("/twilio/menu", {"Digits": "1"}),
    ("/twilio/dial-ended?stage=operators", {"DialCallStatus": "no-answer"}),
    ("/twilio/recorded", {"RecordingSid": "RE" + "0" * 32}),
]


def apply_demo(url: str, snapshot_path: Path, demo_text: str) -> None:
    upgrade(url)
    database = Database(url, snapshot_path)
    apply_text(database, demo_text, TUESDAY_10_LOCAL)
    database.dispose()


def dials_the_staff(response: httpx.Response) -> bool:
    root = ElementTree.fromstring(response.text)
    dial = root.find("Dial")
    return response.status_code == 200 and dial is not None and [number.text for number in dial] == STAFF


def fallback_dial(response: httpx.Response) -> bool:
    """The fallback's answer: the staff, then the fallback's own dial-ended stage (the overflow from the snapshot)."""
    root = ElementTree.fromstring(response.text)
    dial = root.find("Dial")
    return (
        dials_the_staff(response)
        and [child.tag for child in root] == ["Dial"]
        and dial is not None
        and dial.get("action", "").endswith("/twilio/dial-ended?stage=fallback")
    )


def fallback_goodbye(response: httpx.Response) -> bool:
    """After a message was recorded the fallback thanks the caller and never rings the staff again."""
    root = ElementTree.fromstring(response.text)
    return response.status_code == 200 and [child.tag for child in root] == ["Say", "Hangup"]


def fallback_answer(path: str, response: httpx.Response) -> bool:
    return fallback_goodbye(response) if path.startswith("/twilio/recorded") else fallback_dial(response)


def health(client: TwilioLikeClient) -> str:
    response = client.http.get("/healthz")
    assert response.status_code == 200  # degraded still answers calls: load balancers keep sending them
    status: str = response.json()["status"]
    return status


@pytest.fixture
def proxied(postgres_url: str, settings: Settings, demo_text: str) -> Iterator[tuple[StallingProxy, Settings]]:
    apply_demo(postgres_url, settings.snapshot_path, demo_text)
    with stalling_proxy(("127.0.0.1", 5432)) as proxy:
        url = postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}", 1)
        # Every call asks the database (no answer from memory), so each one meets the stall.
        yield proxy, settings.model_copy(update={"database_url": url, "directory_recheck_s": 0})


def test_a_stalled_postgresql_gets_every_voice_webhook_to_a_number_not_in_memory_the_fallback(
    proxied: tuple[StallingProxy, Settings],
) -> None:
    proxy, settings = proxied
    # A server that has not answered the number yet (just started): nothing in memory, every call asks the database.
    app = create_app(settings, clock=lambda: TUESDAY_10_LOCAL)
    with twilio_client(app) as client:
        assert health(client) == "ok"
        proxy.stall()
        for path, params in VOICE_CALLS:
            assert fallback_answer(path, client.post(path, params)), path
        assert health(client) == "degraded"
        proxy.resume()
        assert health(client) == "ok"
        assert [child.tag for child in ElementTree.fromstring(client.post("/twilio/voice").text)] == ["Gather", "Dial"]


def test_numbers_called_before_a_stall_are_answered_from_memory_during_it(
    proxied: tuple[StallingProxy, Settings],
) -> None:
    proxy, settings = proxied
    # No revision check falls due during the test: what the directory holds answers without the database.
    app = create_app(settings.model_copy(update={"directory_recheck_s": 3600}), clock=lambda: TUESDAY_10_LOCAL)
    with twilio_client(app) as client:
        before = [client.post(path, params).text for path, params in VOICE_CALLS]
        assert [child.tag for child in ElementTree.fromstring(before[0])] == ["Gather", "Dial"]
        proxy.stall()
        assert [client.post(path, params).text for path, params in VOICE_CALLS] == before
        proxy.resume()


def test_a_sqlite_database_locked_by_another_process_gets_the_fallback_dial(settings: Settings, demo_text: str) -> None:
    apply_demo(settings.database_url, settings.snapshot_path, demo_text)
    app = create_app(settings, clock=lambda: TUESDAY_10_LOCAL)
    with twilio_client(app) as client:
        # Readers too (a writer-only lock leaves WAL readers, so calls, alone): taken before the first call.
        with exclusive_lock(Path(settings.database_url.removeprefix("sqlite:///")), readers_too=True):
            for path, params in VOICE_CALLS[::2]:  # each waits out the busy timeout; two show it for all
                assert fallback_dial(client.post(path, params)), path
            assert health(client) == "degraded"
        assert health(client) == "ok"


def test_a_server_started_while_the_database_is_down_rings_the_staff_from_the_snapshot(
    settings: Settings, demo_text: str
) -> None:
    apply_demo(settings.database_url, settings.snapshot_path, demo_text)  # the change wrote the snapshot
    down = settings.model_copy(update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:9/none"})
    app: FastAPI = create_app(down)  # a fresh process: nothing in memory, only the file
    with twilio_client(app) as client:
        assert fallback_dial(client.post("/twilio/voice"))
        assert health(client) == "degraded"
        assert client.http.get("/healthz").json()["snapshot_numbers"] == 1


def test_every_saved_change_rewrites_the_snapshot(settings: Settings, demo_text: str) -> None:
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, demo_text, TUESDAY_10_LOCAL)
    first = RoutingSnapshot(settings.snapshot_path).get("+31501234567")
    assert first is not None and list(first.operators) == STAFF and (first.language, first.country) == ("nl", "NL")
    change_parts(database, first.business_id, {"operators": ["+31503333333"]}, TUESDAY_10_LOCAL)  # API, admin page
    database.dispose()
    changed = RoutingSnapshot(settings.snapshot_path).get("+31501234567")
    assert changed is not None and changed.operators == ("+31503333333",) and changed.revision == first.revision + 1

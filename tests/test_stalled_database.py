"""A stalled PostgreSQL holds no call (issue 25), in `greetline serve` as a real process, one and two workers.

PostgreSQL sits behind a TCP proxy that, once stalled, accepts and forwards nothing (tests/fakes/tcp_proxy.py): no
error ever comes back, only the database's own timeouts end a wait. A number called before the stall is in every
worker's memory and must be answered with its normal TwiML, one call after another, as a small business gets them:
the revision check runs beside the calls (ivr.routing.watch.RevisionCheck). A number not in memory gets the fallback,
which now also offers the overflow the routing snapshot names: here the answering service, dialled when the staff do
not answer.
"""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from twilio.request_validator import RequestValidator

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.fakes.tcp_proxy import StallingProxy, stalling_proxy
from tests.local_server import server_process

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
IN_MEMORY = "+31501234567"
NOT_IN_MEMORY = "+31501234568"
STAFF = ["+31501111111", "+31502222222"]
ANSWERING_SERVICE = "+31208888888"  # the demo document's overflow
# Calls before the stall, eight at a time on connections of their own: each worker answers some of them.
WARM_CALLS = 40
CALLS_DURING_THE_STALL = 15
CLIENT_TIMEOUT_S = 10.0


@dataclass
class Stalled:
    proxy: StallingProxy
    environment: dict[str, str]


@pytest.fixture
def stalled(postgres_url: str, settings: Settings, demo_text: str) -> Iterator[Stalled]:
    upgrade(postgres_url)
    database = Database(postgres_url, settings.snapshot_path)
    apply_text(database, demo_text, NOW)
    apply_text(database, demo_text.replace(IN_MEMORY, NOT_IN_MEMORY).replace("De Linde", "De Eik"), NOW)
    database.dispose()
    with stalling_proxy(("127.0.0.1", 5432)) as proxy:
        environment = {
            "GREETLINE_DATABASE_URL": postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}", 1),
            "GREETLINE_MEDIA_DIR": str(settings.media_dir),
            "GREETLINE_SNAPSHOT_PATH": str(settings.snapshot_path),
            "GREETLINE_CALL_LOG_SPILL_PATH": str(settings.call_log_spill_path),
            "GREETLINE_PUBLIC_URL": PUBLIC_URL,
            "GREETLINE_TWILIO_AUTH_TOKEN": TEST_TOKEN,
            "GREETLINE_SESSION_SECRET": "stalled-database-test-session-secret",
        }
        yield Stalled(proxy, environment)


def call(base_url: str, to_number: str, call_sid: str, path: str = "/twilio/voice", **extra: str) -> httpx.Response:
    """One call's webhook on a connection of its own (a new connection may reach either worker)."""
    form = {"CallSid": call_sid, "AccountSid": "AC0123", "From": "+31612345678", "To": to_number, **extra}
    signature = RequestValidator(TEST_TOKEN).compute_signature(f"{PUBLIC_URL}{path}", form)
    answer = httpx.post(
        f"{base_url}{path}", data=form, headers={"X-Twilio-Signature": signature}, timeout=CLIENT_TIMEOUT_S
    )
    assert answer.status_code == 200, answer.text
    return answer


def steps(answer: httpx.Response) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(answer.text))


@pytest.mark.parametrize("workers", [1, 2], ids=["one process", "--workers 2"])
def test_a_stalled_postgresql_holds_no_call_to_a_number_in_memory_and_others_get_the_overflow(
    stalled: Stalled, workers: int
) -> None:
    arguments = ("--workers", str(workers)) if workers > 1 else ()
    with server_process(stalled.environment, arguments=arguments) as server:
        with ThreadPoolExecutor(8) as pool:
            warm = list(pool.map(lambda n: call(server.base_url, IN_MEMORY, f"CA-warm-{n}").text, range(WARM_CALLS)))
        normal = warm[-1]
        # The business's own answer at this hour (the server runs on the real clock): open, the greeting and menu then
        # the staff in turn; closed, its closed message and box. Never the fallback's.
        shapes = (["Gather", "Dial"], ["Say", "Say", "Record", "Say", "Hangup"])
        assert set(warm) == {normal} and [step.tag for step in ElementTree.fromstring(normal)] in shapes
        assert "stage=fallback" not in normal and "Huisartsenpraktijk De Linde" in normal

        stalled.proxy.stall()
        during = [call(server.base_url, IN_MEMORY, f"CA-stall-{n}").text for n in range(CALLS_DURING_THE_STALL)]
        assert during == [normal] * CALLS_DURING_THE_STALL  # exactly as normal: greeting, menu, staff in turn

        first = steps(call(server.base_url, NOT_IN_MEMORY, "CA-other"))
        assert [step.tag for step in first] == ["Dial"]
        assert [number.text for number in first[0]] == STAFF
        assert first[0].get("action", "").endswith("/twilio/dial-ended?stage=fallback")
        path = "/twilio/dial-ended?stage=fallback"
        unanswered = steps(call(server.base_url, NOT_IN_MEMORY, "CA-other", path, DialCallStatus="no-answer"))
        assert [step.tag for step in unanswered] == ["Dial", "Say", "Hangup"]
        assert [number.text for number in unanswered[0]] == [ANSWERING_SERVICE]
        answered = steps(call(server.base_url, NOT_IN_MEMORY, "CA-other", path, DialCallStatus="completed"))
        assert [step.tag for step in answered] == ["Hangup"]
        stalled.proxy.resume()

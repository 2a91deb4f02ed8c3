"""`greetline serve` with many businesses stops promptly on SIGTERM and loses no call (issue 25).

With 10,000 businesses it took 15 s: the stop waited out the job worker's timeout (10 s) while a schedule read every
document, then the database watch's (5 s) while it rewrote the routing snapshot from every document. Neither is work
a stop has to wait for: the next start does it again."""

import signal
import time
from datetime import UTC, datetime

from ivr.document.load import document_data, parse_document
from ivr.settings import Settings
from ivr.store import businesses
from ivr.store.businesses import NewBusiness
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.local_server import members_of_group, server_process, wait_until_ended
from tests.test_serve_process import WAIT_S, environment, logged_sids, under_load

# Enough that reading every document takes the worker and the watch seconds (it scales with the count), few enough
# to store in a second.
BUSINESSES = 2_000
# Groningen's area code (050) with seven-digit subscriber numbers: distinct valid Dutch numbers.
FIRST_NUMBER = 501_000_000
# uvicorn's graceful shutdown, the jobs in hand, the call log's last batch, and the landline warning's child
# reading every document (its warnings are printed before the process ends): a few seconds, whatever the count.
STOPS_WITHIN_S = 5.0
# So many that the landline warning's child is still reading them when a server stopped at once has ended (it
# reads them in about a second; the server starts in less).
READ_BESIDE = 10_000


def many_businesses(settings: Settings, demo_text: str, count: int = BUSINESSES) -> None:
    upgrade(settings.database_url)
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, demo_text, datetime.now(UTC))  # the business the calls are for
    template = document_data(parse_document(demo_text))
    numbers = [f"+31{FIRST_NUMBER + index}" for index in range(count)]
    new = [NewBusiness(f"B{n}", [n], {**template, "business": f"B{n}", "numbers": [n]}) for n in numbers]
    with database.transaction() as session:
        businesses.insert_many(session, new, datetime.now(UTC))
    database.dispose()


def test_sigterm_with_many_businesses_stops_promptly_and_stores_every_answered_call(
    settings: Settings, demo_text: str
) -> None:
    many_businesses(settings, demo_text)
    with server_process(environment(settings)) as server, under_load(server) as load:
        server.process.send_signal(signal.SIGTERM)
        asked_at = time.monotonic()
        returned = server.process.wait(WAIT_S)
        stopped_after_s = time.monotonic() - asked_at
        with load.lock:
            answered = set(load.answered)
    assert returned in (0, -signal.SIGTERM) and "Application shutdown complete." in "\n".join(server.output)
    assert answered and answered - logged_sids(settings) == set()
    assert stopped_after_s < STOPS_WITHIN_S, f"serve took {stopped_after_s:.1f} s to stop"


def test_a_server_stopped_at_once_leaves_no_process_behind(settings: Settings, demo_text: str) -> None:
    """The landline warning's child reads every document while the server starts; stopped before it is done, the
    server used to leave it waiting for its parent's word for ever (uvicorn ends a SIGTERM'd server by raising the
    signal again: no exit handler runs)."""
    many_businesses(settings, demo_text, READ_BESIDE)
    with server_process(environment(settings)) as server:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(WAIT_S)
        left = members_of_group(server.process.pid)  # before server_process kills whatever is left
        wait_until_ended(left, WAIT_S)
        lingering = members_of_group(server.process.pid)
    assert lingering == [], f"processes of the stopped server still running: {lingering} (of {left})"

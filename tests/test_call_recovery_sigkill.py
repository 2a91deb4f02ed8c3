"""A serve process killed under load (SIGKILL) loses the calls its log writer still held in memory; Twilio's Calls
list still has them, and the worker's recovery puts every one back in the log, marked, and no call twice."""

import signal
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ivr.messages.call_recovery import CallRecovery
from ivr.messages.twilio_calls import TwilioCalls
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.tables import CallRow
from tests.clock import FakeClock
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, StoredCall
from tests.local_server import server_process
from tests.test_serve_process import WAIT_S, applied, environment, logged_sids, under_load  # noqa: F401 (a fixture)

pytest_plugins = ["tests.fakes.twilio_api"]

# When Twilio's list says the calls were made; the recovery looks from a quarter of an hour later.
CALLED_AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_calls_lost_to_a_sigkill_reappear_from_twilios_calls_list(applied: Settings, twilio_api: FakeTwilio) -> None:  # noqa: F811
    with server_process(environment(applied)) as server, under_load(server) as load:
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(WAIT_S)
        with load.lock:
            answered = set(load.answered)
    lost = answered - logged_sids(applied)
    for sid in answered:  # Twilio knows every call it put through, whatever our log kept
        ended = CALLED_AT + timedelta(seconds=20)
        twilio_api.add_call(StoredCall(sid, "+31612345678", "+31501234567", "completed", CALLED_AT, ended, 20))

    database = Database(applied.database_url)
    try:
        recovery = CallRecovery(
            database,
            TwilioCalls(ACCOUNT_SID, AUTH_TOKEN, twilio_api.base_url),
            clock=FakeClock(CALLED_AT + timedelta(minutes=15)),
        )
        found = recovery.recover(CALLED_AT - timedelta(hours=1))
        with database.transaction() as session:
            rows = {sid: recovered for sid, recovered in session.execute(select(CallRow.call_sid, CallRow.recovered))}
    finally:
        database.dispose()
    assert answered <= set(rows)  # no answered call is missing from the log any more
    assert {sid for sid, recovered in rows.items() if recovered} == lost
    assert found.added == len(lost)

"""The worker in a thread beside the server (ivr.jobs.embedded): a stop waits for the jobs in hand, never for a
schedule reading every business (issue 25: a server with 10,000 businesses took 15 s to stop)."""

import threading
import time
from datetime import datetime
from typing import Any

from ivr.jobs.embedded import WorkerThread
from ivr.jobs.worker import Worker
from ivr.store import jobs
from ivr.store.database import Database
from ivr.store.jobs import JobSpec
from tests.jobs.test_worker import Clock, queue, states

# Bounds for a thread that never gets there; normally reached at once.
WAIT_S = 30.0
# The stop's own timeout: long, so a stop that waits for it is told apart from one that does not.
STOP_TIMEOUT_S = 20.0
POLL_S = 0.05


class Blocking:
    """A schedule or job function that says when it started and goes on only when released."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def schedule(self, _now: datetime) -> list[JobSpec]:
        self.started.set()
        self.release.wait(WAIT_S)
        return []

    def job(self, _args: dict[str, Any]) -> None:
        self.started.set()
        self.release.wait(WAIT_S)


def stop_taking(thread: WorkerThread) -> float:
    began = time.monotonic()
    thread.stop(STOP_TIMEOUT_S)
    return time.monotonic() - began


def test_a_stop_does_not_wait_for_a_schedule_reading_every_business(database: Database) -> None:
    reading = Blocking()
    worker = Worker(database, {}, clock=Clock(), schedules=[reading.schedule])
    thread = WorkerThread(worker, POLL_S, 30.0)
    thread.start()
    assert reading.started.wait(WAIT_S)
    try:
        took_s = stop_taking(thread)
    finally:
        reading.release.set()
    assert took_s < STOP_TIMEOUT_S / 2


def test_a_stop_waits_for_the_job_in_hand_and_claims_no_more(database: Database) -> None:
    sending = Blocking()
    queue(database, JobSpec("send:1", "send", {}, 1, "RE1"))
    worker = Worker(database, {"send": sending.job}, clock=Clock())
    thread = WorkerThread(worker, POLL_S, 30.0)
    thread.start()
    assert sending.started.wait(WAIT_S)
    # What the stop saw when it returned: the job's outcome, stored (a stop that did not wait saw it running).
    seen: list[list[tuple[str, int, str | None]]] = []
    stopper = threading.Thread(target=lambda: (thread.stop(STOP_TIMEOUT_S), seen.append(states(database, "RE1"))))
    stopper.start()
    sending.release.set()
    stopper.join(WAIT_S)
    assert seen == [[("done", 1, None)]]
    queue(database, JobSpec("send:2", "send", {}, 1, "RE2"))
    assert worker.run_due(stop=threading.Event()) == 1 and states(database, "RE2") == [("done", 1, None)]


def test_a_stop_before_the_first_round_runs_nothing(database: Database) -> None:
    queue(database, JobSpec("send:1", "send", {}, 1, "RE1"))
    thread = WorkerThread(
        Worker(database, {"send": lambda _args: None}, clock=Clock()), POLL_S, 30.0, start_after_s=WAIT_S
    )
    thread.start()
    assert stop_taking(thread) < STOP_TIMEOUT_S / 2
    with database.transaction() as session:
        assert [job.state for job in jobs.for_subject(session, "RE1")] == ["pending"]

"""The job worker on real SQLite and PostgreSQL, with an injected clock: runs, retries, gives up, resumes."""

from datetime import UTC, datetime, timedelta
from typing import Any

from ivr.jobs.model import PermanentFailure, RetryPolicy
from ivr.jobs.worker import Worker
from ivr.store import jobs
from ivr.store.database import Database
from ivr.store.jobs import JobSpec
from tests.clock import FakeClock

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def Clock() -> FakeClock:
    return FakeClock(START)


class Flaky:
    """A job function that fails until told otherwise, remembering every call."""

    def __init__(self, failing: bool = True) -> None:
        self.failing = failing
        self.calls: list[dict[str, Any]] = []

    def __call__(self, args: dict[str, Any]) -> None:
        self.calls.append(args)
        if self.failing:
            raise ConnectionRefusedError("mail server down")


def queue(database: Database, *specs: JobSpec) -> int:
    with database.transaction() as session:
        return jobs.enqueue(session, list(specs), START)


def states(database: Database, subject: str) -> list[tuple[str, int, str | None]]:
    with database.transaction() as session:
        return [(job.state, job.attempts, job.last_error) for job in jobs.for_subject(session, subject)]


SPEC = JobSpec("send:1", "send", {"to": "a@example.nl"}, 1, "RE1")


def test_a_job_queued_twice_runs_once(database: Database) -> None:
    clock, send = Clock(), Flaky(failing=False)
    assert queue(database, SPEC, SPEC) == 1
    assert queue(database, SPEC) == 0
    worker = Worker(database, {"send": send}, clock=clock)
    assert worker.run_due() == 1
    assert worker.run_due() == 0
    assert send.calls == [{"to": "a@example.nl"}]
    assert states(database, "RE1") == [("done", 1, None)]


def test_failures_retry_with_growing_pauses_then_fail_after_a_day(database: Database) -> None:
    clock, send = Clock(), Flaky()
    queue(database, SPEC)
    worker = Worker(database, {"send": send}, clock=clock)
    pauses: list[float] = []
    assert worker.run_due() == 1
    while states(database, "RE1")[0][0] == "pending":
        with database.transaction() as session:
            due = jobs.for_subject(session, "RE1")[0].next_attempt_at
        pauses.append((due - clock.now).total_seconds())
        clock.advance(pauses[-1] - 1)
        assert worker.run_due() == 0  # one second early: not yet
        clock.advance(1)
        assert worker.run_due() == 1
    assert pauses[0] <= 10  # the first retry comes within 10 s
    assert pauses[:5] == [5, 10, 20, 40, 80]
    assert max(pauses) == 600  # and never more than 10 minutes apart
    state, attempts, error = states(database, "RE1")[0]
    assert state == "failed" and attempts == len(pauses) + 1
    assert error is not None and error.startswith("gave up after") and "mail server down" in error
    assert clock.now - START >= timedelta(hours=24)


def test_the_mail_server_back_up_delivers_on_the_next_try(database: Database) -> None:
    clock, send = Clock(), Flaky()
    queue(database, SPEC)
    worker = Worker(database, {"send": send}, clock=clock)
    assert worker.run_due() == 1
    assert states(database, "RE1") == [("pending", 1, "mail server down")]
    send.failing = False
    clock.advance(4)
    assert worker.run_due() == 0  # not due yet
    clock.advance(1)
    assert worker.run_due() == 1
    assert states(database, "RE1") == [("done", 2, None)]


def test_a_permanent_failure_is_not_retried(database: Database) -> None:
    def refuse(_args: dict[str, Any]) -> None:
        raise PermanentFailure("550 no such mailbox")

    queue(database, SPEC, JobSpec("other:1", "unknown-kind", {}, 1, "RE1"))
    Worker(database, {"send": refuse}, clock=Clock()).run_due()
    found = states(database, "RE1")
    assert found[0] == ("failed", 1, "550 no such mailbox")
    assert found[1][0] == "failed" and "no function for jobs of kind 'unknown-kind'" in str(found[1][2])


def test_a_job_claimed_by_a_worker_that_died_is_taken_up_after_its_lease(database: Database) -> None:
    clock, send = Clock(), Flaky(failing=False)
    queue(database, SPEC)
    with database.transaction() as session:  # a worker claims it, then is killed before finishing
        assert len(jobs.claim_due(session, clock.now, timedelta(seconds=60), 10)) == 1
    worker = Worker(database, {"send": send}, clock=clock, lease_s=60)
    clock.advance(59)
    assert worker.run_due() == 0
    clock.advance(1)
    assert worker.run_due() == 1
    assert states(database, "RE1") == [("done", 2, None)]


def test_schedules_queue_their_jobs_once(database: Database) -> None:
    clock, send = Clock(), Flaky(failing=False)

    def every_day(now: datetime) -> list[JobSpec]:
        return [JobSpec(f"daily:{now.date()}", "send", {"day": now.date().isoformat()}, None, "daily")]

    worker = Worker(database, {"send": send}, clock=clock, schedules=[every_day])
    assert worker.run_schedules() == 1
    assert worker.run_schedules() == 0
    worker.run_due()
    assert send.calls == [{"day": "2026-11-24"}]


def test_retry_policy_table() -> None:
    policy = RetryPolicy()
    assert [policy.delay_s(n) for n in (1, 2, 3, 7, 8, 50)] == [5, 10, 20, 320, 600, 600]


def test_postgres_workers_never_claim_the_same_job(postgres_url: str) -> None:
    from ivr.store.migrate import upgrade

    upgrade(postgres_url)
    database = Database(postgres_url)
    try:
        queue(database, *[JobSpec(f"send:{n}", "send", {}, 1, "many") for n in range(6)])
        with database.transaction() as first:
            mine = jobs.claim_due(first, START, timedelta(seconds=60), 4)
            with database.transaction() as second:  # the first's rows are still locked: it skips them
                theirs = jobs.claim_due(second, START, timedelta(seconds=60), 4)
        assert len(mine) == 4 and len(theirs) == 2
        assert not {job.key for job in mine} & {job.key for job in theirs}
    finally:
        database.dispose()

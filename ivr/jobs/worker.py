"""Claims due jobs, runs each kind's function, records the outcome; retries failures with growing pauses.

A job is claimed (state running, a lease) in one transaction, run outside any transaction, and its outcome
stored in another. A worker killed at any point leaves its claimed jobs to be taken up again when the lease
has passed; a job runs twice only when the worker died between starting it and storing that it was done.

Jobs of the `concurrent` kinds (mostly waiting on another server, such as a calendar feed) run side by side, each in
its own thread from the moment it is claimed, while the batch's other jobs run one after another: a slow one delays
neither the others nor their leases. Their handlers must be safe to call from several threads at once.
"""

import logging
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from ivr.jobs.model import FAILED, NO_WORKER_FUNCTION, JobFailure, PermanentFailure, RetryPolicy
from ivr.store import jobs
from ivr.store.database import Database
from ivr.store.jobs import Job, JobSpec

log = logging.getLogger("greetline.jobs")

# A job's function: its arguments in; None when done as usual, or how it was done (PRINTED) to store with it.
Handler = Callable[[dict[str, Any]], str | None]
# Called now and then with the time; returns jobs to queue (their keys make repeats harmless).
Schedule = Callable[[datetime], list[JobSpec]]
Clock = Callable[[], datetime]

# Longer than any one job takes (a mail with a two-minute recording, a Twilio request with its timeouts).
DEFAULT_LEASE_S = 120.0
CLAIM_BATCH = 10
# The stored error text is for people: the first lines say it all.
MAX_ERROR_CHARS = 1000


class Worker:
    def __init__(
        self,
        database: Database,
        handlers: Mapping[str, Handler],
        *,
        clock: Clock,
        policy: RetryPolicy | None = None,
        lease_s: float = DEFAULT_LEASE_S,
        schedules: Sequence[Schedule] = (),
        concurrent: Collection[str] = (),
    ) -> None:
        self._database = database
        self._handlers = handlers
        self._clock = clock
        self._policy = policy or RetryPolicy()
        self._lease = timedelta(seconds=lease_s)
        self._schedules = schedules
        self._concurrent = frozenset(concurrent)
        # Held while a claimed batch runs, from its claim to its last outcome: a worker told to stop waits for this
        # (`ivr.jobs.embedded.WorkerThread.stop`), not for a schedule reading every business, which the next start
        # does again (its jobs' keys make a repeat harmless).
        self.in_hand = threading.Lock()

    def run_schedules(self) -> int:
        """Queue what the schedules say is due now; returns how many jobs were new."""
        now = self._clock()
        specs = [spec for schedule in self._schedules for spec in schedule(now)]
        if not specs:
            return 0
        with self._database.transaction() as session:
            return jobs.enqueue(session, specs, now)

    def run_due(self, stop: threading.Event | None = None) -> int:
        """Run every job that is due now, or until `stop` is set (the batch claimed is run to its end); returns how
        many were run."""
        ran = 0
        while True:
            with self.in_hand:
                if stop is not None and stop.is_set():
                    return ran
                with self._database.transaction() as session:
                    claimed = jobs.claim_due(session, self._clock(), self._lease, CLAIM_BATCH)
                if not claimed:
                    return ran
                self._run_batch(claimed)
                ran += len(claimed)

    def _run_batch(self, claimed: list[Job]) -> None:
        side_by_side = [job for job in claimed if job.kind in self._concurrent]
        one_by_one = [job for job in claimed if job.kind not in self._concurrent]
        if not side_by_side:
            for job in one_by_one:
                self._run(job)
            return
        # A thread each (a batch is at most CLAIM_BATCH): every one starts at its claim, well within its lease.
        with ThreadPoolExecutor(len(side_by_side), thread_name_prefix="job") as pool:
            started = [pool.submit(self._run, job) for job in side_by_side]
            for job in one_by_one:
                self._run(job)
        for future in started:
            future.result()  # an outcome that could not be stored: raised as it would be one by one

    def _run(self, job: Job) -> None:
        handler = self._handlers.get(job.kind)
        try:
            if handler is None:
                raise PermanentFailure(
                    f"no function for jobs of kind {job.kind!r}; is this worker older than the job?",
                    NO_WORKER_FUNCTION,
                    kind=job.kind,
                )
            done_as = handler(job.args)
        except PermanentFailure as error:
            reason, problem = _text(error), _problem(error)
            log.error("job %s failed for good: %s", job.key, reason)
            self._store(lambda session: jobs.failed(session, job.id, self._clock(), reason, problem))
        except Exception as error:
            self._retry_or_fail(job, _text(error), _problem(error))
        else:
            self._store(lambda session: jobs.succeeded(session, job.id, self._clock(), done_as))

    def _retry_or_fail(self, job: Job, error: str, problem: jobs.StoredProblem) -> None:
        now = self._clock()
        when = self._policy.next_attempt(job, now)
        if when is None:
            reason = f"gave up after {job.attempts} attempts in {self._policy.give_up_after}: {error}"
            log.error("job %s failed for good: %s", job.key, reason)
            self._store(lambda session: jobs.failed(session, job.id, now, reason[:MAX_ERROR_CHARS], problem))
        else:
            log.warning("job %s attempt %d failed (%s); next try at %s", job.key, job.attempts, error, when)
            self._store(lambda session: jobs.retry_at(session, job.id, when, error, problem))

    def _store(self, write: Callable[[Any], None]) -> None:
        with self._database.transaction() as session:
            write(session)

    def run_forever(self, stop: threading.Event, wake: threading.Event, poll_s: float, schedule_every_s: float) -> None:
        """Until `stop` is set: run due jobs, waking every `poll_s` or when `wake` is set (new work stored)."""
        last_schedule: datetime | None = None
        while not stop.is_set():
            try:
                now = self._clock()
                if last_schedule is None or (now - last_schedule).total_seconds() >= schedule_every_s:
                    self.run_schedules()
                    last_schedule = now
                self.run_due(stop)
            except Exception:  # the database is away: keep the loop alive and try again at the next poll
                log.exception("the job worker could not reach its jobs; trying again in %.0f s", poll_s)
            wake.wait(poll_s)
            wake.clear()


def _text(error: BaseException) -> str:
    return (str(error) or type(error).__name__)[:MAX_ERROR_CHARS]


# How much of a failure not known more precisely is kept as its detail (a server's answer, shown as it is).
MAX_DETAIL_CHARS = 300


def _problem(error: BaseException) -> jobs.StoredProblem:
    """The failure's code and values; one that is not a JobFailure is FAILED with its own text as the detail."""
    if isinstance(error, JobFailure):
        return jobs.StoredProblem(error.code, dict(error.values))
    return jobs.StoredProblem(FAILED, {"detail": _text(error)[:MAX_DETAIL_CHARS]})

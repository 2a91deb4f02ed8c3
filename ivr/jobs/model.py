"""How long to wait before trying a failed job again, and the failure that is never retried. The jobs themselves
as data (JobSpec, Job, JobState) live with their table in ivr.store.jobs: the store imports no layer above it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from ivr.store.jobs import Job

# A failure not known more precisely (a server that did not answer, an error of a library).
FAILED = "failed"
# A job's kind that no handler of this worker knows.
NO_WORKER_FUNCTION = "no_worker_function"
# What a delivery's function returns when the console senders printed it (no SMTP server or Twilio account, as in
# `make run`): stored with the job, so the inbox says it was printed, not sent.
PRINTED = "printed"


class JobFailure(Exception):
    """A job's failure as data beside its English line: a code and the values its words need, stored with the
    job so a page can say why in its own language (ivr.web.admin.problem_words)."""

    def __init__(self, message: str, code: str = FAILED, **values: str | int | float) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


class PermanentFailure(JobFailure):
    """A job that can never succeed (an address the server refuses for good): failed at once, not retried."""


# The first retry comes within 10 s and later ones at most 10 min apart (issue 9); after a day, give up.
FIRST_RETRY_S = 5.0
MAX_RETRY_S = 600.0
GIVE_UP_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class RetryPolicy:
    first_retry_s: float = FIRST_RETRY_S
    max_retry_s: float = MAX_RETRY_S
    give_up_after: timedelta = GIVE_UP_AFTER

    def delay_s(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failed try: doubling from the first, capped."""
        return min(self.first_retry_s * 2.0 ** max(attempts - 1, 0), self.max_retry_s)

    def next_attempt(self, job: Job, now: datetime) -> datetime | None:
        """When to try again, or None when the job has been failing for too long."""
        if now - job.created_at >= self.give_up_after:
            return None
        return now + timedelta(seconds=self.delay_s(job.attempts))

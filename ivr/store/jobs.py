"""The jobs table: queueing work once, claiming due jobs (several workers on PostgreSQL), recording outcomes."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ivr.store.tables import JobRow


class JobState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class JobSpec:
    """Work to do once: `key` identifies it, so taking the same thing in twice queues it once."""

    key: str
    kind: str
    args: dict[str, Any]
    business_id: int | None = None
    subject: str | None = None
    # Not to be run before this (e.g. wait for the callbacks that may still follow a call's end).
    not_before: datetime | None = None


@dataclass(frozen=True)
class Job:
    id: int
    key: str
    kind: str
    args: dict[str, Any]
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class StoredProblem:
    """Why a job last failed, as data: a code (ivr.jobs.model.JobFailure) and the values its words need."""

    code: str
    values: dict[str, Any]


@dataclass(frozen=True)
class JobStatus:
    """A job as a listing shows it: what it was for, and how it stands."""

    key: str
    kind: str
    args: dict[str, Any]
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    finished_at: datetime | None
    last_problem: StoredProblem | None = None
    # "printed": done by the console senders, not sent (ivr.jobs.model.PRINTED); None: done as usual.
    done_as: str | None = None


def enqueue(session: Session, specs: list[JobSpec], now: datetime) -> int:
    """Queue the jobs whose keys are not queued yet; returns how many were new.

    Two transactions queueing the same key at once: one fails on the unique key (the caller answers 5xx and
    Twilio's retry then finds the key taken).
    """
    if not specs:
        return 0
    keys = [spec.key for spec in specs]
    taken = set(session.scalars(select(JobRow.key).where(JobRow.key.in_(keys))))
    new = [spec for spec in dict((spec.key, spec) for spec in specs).values() if spec.key not in taken]
    session.add_all(
        JobRow(
            key=spec.key,
            kind=spec.kind,
            args=spec.args,
            business_id=spec.business_id,
            subject=spec.subject,
            state=JobState.PENDING.value,
            attempts=0,
            next_attempt_at=spec.not_before or now,
            created_at=now,
        )
        for spec in new
    )
    session.flush()
    return len(new)


def claim_due(session: Session, now: datetime, lease: timedelta, limit: int) -> list[Job]:
    """Take up to `limit` due jobs: pending ones whose time has come, and running ones whose worker died.

    On PostgreSQL the rows are locked with SKIP LOCKED, so workers never claim the same job; SQLite has no
    row locks (and one writer at a time), so there one worker process runs.
    """
    due = or_(
        and_(JobRow.state == JobState.PENDING.value, JobRow.next_attempt_at <= now),
        and_(JobRow.state == JobState.RUNNING.value, JobRow.lease_until <= now),
    )
    rows = list(
        session.scalars(
            select(JobRow)
            .where(due)
            .order_by(JobRow.next_attempt_at, JobRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.state, row.lease_until, row.attempts = JobState.RUNNING.value, now + lease, row.attempts + 1
    session.flush()
    return [Job(row.id, row.key, row.kind, dict(row.args), row.attempts, utc(row.created_at)) for row in rows]


def utc(moment: datetime) -> datetime:
    """SQLite hands back stored instants without their zone; everything stored here is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _finish(session: Session, job_id: int, **values: Any) -> None:
    session.execute(update(JobRow).where(JobRow.id == job_id).values(lease_until=None, **values))


def _problem_columns(problem: StoredProblem | None) -> dict[str, Any]:
    return {
        "last_error_code": problem.code if problem else None,
        "last_error_values": problem.values if problem else None,
    }


def succeeded(session: Session, job_id: int, now: datetime, done_as: str | None = None) -> None:
    _finish(
        session,
        job_id,
        state=JobState.DONE.value,
        finished_at=now,
        last_error=None,
        done_as=done_as,
        **_problem_columns(None),
    )


def forget_done(session: Session, kind: str, business_id: int) -> int:
    """The done jobs of one kind for one business: for work that recurs every few minutes and stores its outcome
    elsewhere (a calendar's refresh, with the calendar's copy), so that its rows do not pile up (288 a day each)."""
    done = (JobRow.kind == kind) & (JobRow.business_id == business_id) & (JobRow.state == JobState.DONE.value)
    return int(getattr(session.execute(delete(JobRow).where(done)), "rowcount", 0) or 0)


def retry_at(session: Session, job_id: int, when: datetime, error: str, problem: StoredProblem | None = None) -> None:
    _finish(
        session,
        job_id,
        state=JobState.PENDING.value,
        next_attempt_at=when,
        last_error=error,
        **_problem_columns(problem),
    )


def failed(session: Session, job_id: int, now: datetime, error: str, problem: StoredProblem | None = None) -> None:
    _finish(
        session, job_id, state=JobState.FAILED.value, finished_at=now, last_error=error, **_problem_columns(problem)
    )


def for_subject(session: Session, subject: str) -> list[JobStatus]:
    return for_subjects(session, [subject]).get(subject, [])


def for_subjects(session: Session, subjects: list[str]) -> dict[str, list[JobStatus]]:
    """The jobs of many subjects in one query (a page of messages with their deliveries), each in queued order."""
    found: dict[str, list[JobStatus]] = {}
    if not subjects:
        return found
    rows = session.scalars(select(JobRow).where(JobRow.subject.in_(subjects)).order_by(JobRow.id))
    for row in rows:
        found.setdefault(row.subject or "", []).append(
            JobStatus(
                row.key,
                row.kind,
                dict(row.args),
                row.state,
                row.attempts,
                utc(row.next_attempt_at),
                row.last_error,
                utc(row.finished_at) if row.finished_at else None,
                StoredProblem(row.last_error_code, dict(row.last_error_values or {})) if row.last_error_code else None,
                row.done_as,
            )
        )
    return found


# Businesses asked about in one query (SQLite allows 32,766 bound values; PostgreSQL more).
SUBJECTS_PER_QUERY = 1000


def latest_subjects(
    session: Session, kind: str, business_ids: list[int], *, from_subject: str | None = None
) -> dict[int, str]:
    """Per business, the greatest subject of its jobs of `kind` (a day's ISO date sorts as the day): what was last
    queued, as the table keeps it. `from_subject`: look only at subjects from this one on (a range of the subject
    index, instead of every job each business ever had)."""
    found: dict[int, str] = {}
    for start in range(0, len(business_ids), SUBJECTS_PER_QUERY):
        chunk = business_ids[start : start + SUBJECTS_PER_QUERY]
        query = (
            select(JobRow.business_id, func.max(JobRow.subject))
            .where(JobRow.kind == kind, JobRow.business_id.in_(chunk))
            .group_by(JobRow.business_id)
        )
        if from_subject is not None:
            query = query.where(JobRow.subject >= from_subject)
        found.update(
            {
                business: subject
                for business, subject in session.execute(query).all()
                if business is not None and subject
            }
        )
    return found


def counts(session: Session) -> dict[str, int]:
    """Jobs per state (for the benchmark and the worker's log)."""
    found: dict[str, int] = {}
    for (state,) in session.execute(select(JobRow.state)):
        found[state] = found.get(state, 0) + 1
    return found

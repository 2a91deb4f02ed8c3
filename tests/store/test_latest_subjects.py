"""The last daily summary queued per business, as the jobs table keeps it (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime

from ivr.messages.summary_days import DAILY_SUMMARY, summary_job
from ivr.store import jobs
from ivr.store.database import Database
from ivr.store.jobs import JobSpec

NOW = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)


def test_the_latest_summary_subject_per_business_within_a_range_and_over_all(database: Database) -> None:
    specs = [summary_job(1, date(2026, 11, day), late=False) for day in (2, 9, 23)]
    specs += [summary_job(2, date(2026, 10, 30), late=False)]
    # Other kinds about the same business, with subjects that sort after a summary's: not summaries.
    specs += [JobSpec("other:1", "daily-summary-email", {}, 1, "summary:2026-11-30"), JobSpec("x:1", "x", {}, 1, "zz")]
    with database.transaction() as session:
        jobs.enqueue(session, specs, NOW)
        everything = jobs.latest_subjects(session, DAILY_SUMMARY, [1, 2, 3])
        recent = jobs.latest_subjects(session, DAILY_SUMMARY, [1, 2, 3], from_subject="summary:2026-11-20")
    assert everything == {1: "summary:2026-11-23", 2: "summary:2026-10-30"}
    assert recent == {1: "summary:2026-11-23"}

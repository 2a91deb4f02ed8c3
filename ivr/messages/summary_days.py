"""Which days' summaries are due: today's once the local clock passes its time, and the days missed while no worker
ran, judged by the last summary the jobs table holds (never by guessing from the clock when the worker was away).

Pure: the business's summary time, the instant and the last queued day in; the jobs to queue out.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ivr.document.model import BusinessDocument
from ivr.store.jobs import JobSpec

DAILY_SUMMARY = "daily-summary"
# Days before today whose missed summary is still sent, late: beyond that it is old news, and the call log and the
# inbox show those days anyway.
MAX_LATE_DAYS = 3
SUBJECT_PREFIX = "summary:"


@dataclass(frozen=True)
class SummaryTime:
    """When a business's daily summary is due: all the schedule keeps of its document."""

    timezone: str
    at: time


def summary_time(document: BusinessDocument) -> SummaryTime | None:
    if document.daily_summary is None:
        return None
    return SummaryTime(document.timezone, time.fromisoformat(document.daily_summary.at))


def summary_subject(day: date) -> str:
    """What a summary's jobs are about: its day, as ISO text so the latest sorts last."""
    return f"{SUBJECT_PREFIX}{day.isoformat()}"


def day_of_subject(subject: str) -> date | None:
    try:
        return date.fromisoformat(subject.removeprefix(SUBJECT_PREFIX))
    except ValueError:
        return None


def recent_subjects_from(now: datetime) -> str:
    """The oldest summary subject that can still matter to `summaries_due`: MAX_LATE_DAYS before today, a day more
    for a business's time zone and one for yesterday's not yet due summary."""
    return summary_subject(now.date() - timedelta(days=MAX_LATE_DAYS + 2))


def last_due_day(when: SummaryTime, now: datetime) -> date:
    """The latest day whose summary is due by now: today once its time has passed, else yesterday."""
    local = now.astimezone(ZoneInfo(when.timezone))
    return local.date() if local.time() >= when.at else local.date() - timedelta(days=1)


def summary_job(business_id: int, day: date, *, late: bool) -> JobSpec:
    """A day's summary; its key makes it once per business and local day, whoever queues it and however often."""
    args: dict[str, int | str | bool] = {"business_id": business_id, "day": day.isoformat()}
    if late:
        args["late"] = True
    return JobSpec(f"{DAILY_SUMMARY}:{business_id}:{day}", DAILY_SUMMARY, args, business_id, summary_subject(day))


def summaries_due(when: SummaryTime | None, business_id: int, now: datetime, last_queued: date | None) -> list[JobSpec]:
    """Today's summary once its time has passed, and each day after `last_queued` that was missed, marked late (at
    most MAX_LATE_DAYS back). A business with no summary queued ever gets none late: its summary is new, not missed."""
    if when is None:
        return []
    today = now.astimezone(ZoneInfo(when.timezone)).date()
    due = last_due_day(when, now)
    found = [summary_job(business_id, due, late=False)] if due == today else []
    if last_queued is None:
        return found
    first_missed = max(last_queued + timedelta(days=1), today - timedelta(days=MAX_LATE_DAYS))
    missed_days = (today - first_missed).days
    late = [summary_job(business_id, first_missed + timedelta(days=n), late=True) for n in range(missed_days)]
    return late + found

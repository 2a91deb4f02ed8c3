"""The monthly report's jobs: due from 08:00 local on the 1st of each month (the first one as soon as
`monthly_report` is set), once per business and month by its job key, then one e-mail per address.

The worker's schedule asks every half minute; it reads only documents whose revision changed and remembers which
month it queued for each business, so a quiet month costs a dictionary look-up per business.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ivr.document.convert import to_business
from ivr.document.load import validate_document
from ivr.figures.line import line_figures
from ivr.jobs.worker import Handler
from ivr.messages.monthly_email import monthly_report_email
from ivr.messages.outbox import message_id
from ivr.messages.senders import Senders
from ivr.store import businesses, jobs
from ivr.store.database import Database
from ivr.store.jobs import JobSpec

MONTHLY_REPORT = "monthly-report"
MONTHLY_REPORT_EMAIL = "monthly-report-email"
# When on the 1st the report goes: the office has started its day, the month's last calls are in.
REPORT_AT = time(8, 0)


@dataclass(frozen=True)
class ReportPlan:
    """All the schedule keeps of a document: where the business is (for its 1st of the month), and whether it
    wants the report."""

    timezone: str
    wanted: bool


def report_month(timezone: str, now: datetime) -> str:
    """The latest month whose report is due by `now` ("2026-12" from 1 December 08:00 local)."""
    local = now.astimezone(ZoneInfo(timezone))
    if local.day == 1 and local.time() < REPORT_AT:
        local = local - timedelta(days=1)
    return f"{local.year:04}-{local.month:02}"


def report_job(business_id: int, month: str) -> JobSpec:
    args = {"business_id": business_id, "month": month}
    return JobSpec(f"{MONTHLY_REPORT}:{business_id}:{month}", MONTHLY_REPORT, args, business_id, f"report:{month}")


class MonthlyReports:
    def __init__(self, database: Database, senders: Senders, *, domain: str, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._senders = senders
        self._domain = domain
        self._clock = clock
        self._plans: dict[int, tuple[int, ReportPlan]] = {}
        self._queued: dict[int, str] = {}

    def handlers(self) -> dict[str, Handler]:
        return {MONTHLY_REPORT: self.report, MONTHLY_REPORT_EMAIL: self.report_email}

    def schedule(self, now: datetime) -> list[JobSpec]:
        with self._database.transaction() as session:
            current = businesses.revisions(session.connection())
            changed = [id_ for id_, revision in current.items() if self._plans.get(id_, (0,))[0] != revision]
            for stored in businesses.documents_of(session.connection(), changed):
                document = validate_document(stored.document)
                self._plans[stored.id] = (stored.revision, ReportPlan(document.timezone, bool(document.monthly_report)))
            for gone in self._plans.keys() - current.keys():
                del self._plans[gone]
        due = []
        for id_, (_revision, plan) in self._plans.items():
            month = report_month(plan.timezone, now)
            if plan.wanted and self._queued.get(id_) != month:
                self._queued[id_] = month
                due.append(report_job(id_, month))
        return due

    def report(self, args: dict[str, Any]) -> None:
        """One e-mail job per address of the document as it is now."""
        with self._database.transaction() as session:
            document = validate_document(businesses.get(session, args["business_id"]).document)
            addresses = document.monthly_report.email if document.monthly_report else []
            specs = [
                JobSpec(
                    f"{MONTHLY_REPORT_EMAIL}:{args['business_id']}:{args['month']}:{address}",
                    MONTHLY_REPORT_EMAIL,
                    {
                        **args,
                        "address": address,
                        "message_id": message_id("report", args["month"], address, self._domain),
                    },
                    args["business_id"],
                    f"report:{args['month']}",
                )
                for address in addresses
            ]
            jobs.enqueue(session, specs, self._clock())

    def report_email(self, args: dict[str, Any]) -> None:
        """The figures as they are when it is sent: the four weeks up to now, as the statistics page shows them."""
        now = self._clock()
        with self._database.transaction() as session:
            document = validate_document(businesses.get(session, args["business_id"]).document)
            business = to_business(document, args["business_id"], part_of_day="morning")
            figures = line_figures(session.connection(), business, now)
        email = monthly_report_email(figures, document.business, document.language, args["address"], args["message_id"])
        self._senders.mailer.send(email, self._senders.mail_from)

"""/admin and /admin/calls: the overview (what a caller hears now, today's calls) and the call log."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ivr.callflow.end_reasons import EndReason
from ivr.callflow.steps import Outcome
from ivr.document.model import DEFAULT_TIMEZONE
from ivr.store import calls
from ivr.web.admin import pages
from ivr.web.admin.heard import heard_now
from ivr.web.admin.pages import UserDep
from ivr.web.api.call_export import streamed_csv
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(include_in_schema=False)

# The outcomes a business's calls can have (a call to an unknown number belongs to no business).
CALL_OUTCOMES = [outcome.value for outcome in Outcome if outcome is not Outcome.UNKNOWN_NUMBER]
CALLS_SHOWN = 200
END_REASONS = [reason.value for reason in EndReason]


def _zone(document: dict[str, Any]) -> ZoneInfo:
    return ZoneInfo(document.get("timezone", DEFAULT_TIMEZONE))


def _local_midnight(document: dict[str, Any], day: date) -> datetime:
    return datetime.combine(day, time(0), _zone(document)).astimezone(UTC)


@router.get("")
def dashboard(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    common = pages.common(db, user)
    document = common["document"]
    local_today = services.clock().astimezone(_zone(document)).date()
    services.call_log.flush()
    since = _local_midnight(document, local_today)
    # Listed with test calls marked (call_table.html); figures and summaries leave them out.
    today = calls.recent(db.session.connection(), user.business_id, since=since, with_simulated=True)
    words = pages.words(request, document)
    return pages.page(
        request,
        "dashboard.html",
        "dashboard",
        **common,
        **heard_now(request, services, db, user, document),
        calls=today,
        page_title=words.gettext("Overview"),
    )


@router.get("/calls")
def call_log(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    day: Annotated[date | None, Query()] = None,
    outcome: Annotated[str, Query(max_length=32)] = "",
    first_typed: Annotated[str, Query(alias="from", max_length=10)] = "",
    last_typed: Annotated[str, Query(alias="to", max_length=10)] = "",
    caller: Annotated[str, Query(max_length=32)] = "",
    reason: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    shared = pages.common(db, user)
    first, last = (day, day) if day else (_day(first_typed), _day(last_typed))
    since, until = _window(shared["document"], first, last)
    services.call_log.flush()
    logged = calls.recent(
        db.session.connection(),
        user.business_id,
        limit=CALLS_SHOWN,
        since=since,
        until=until,
        outcome=outcome if outcome in CALL_OUTCOMES else None,
        with_simulated=True,
        caller=caller or None,
        reason=reason if reason in END_REASONS else None,
    )
    filters = {
        "from": first.isoformat() if first else "",
        "to": last.isoformat() if last else "",
        "outcome": outcome,
        "outcomes": CALL_OUTCOMES,
        "caller": caller,
        "reason": reason,
        "reasons": END_REASONS,
        "csv": urlencode({name: value for name, value in (("from", first), ("to", last)) if value}),
    }
    title = pages.words(request, shared["document"]).gettext("Calls")
    return pages.page(request, "calls.html", "calls", **shared, calls=logged, filters=filters, page_title=title)


def _day(typed: str) -> date | None:
    """A date field of the filter form: empty (all days) or as the browser sends it (YYYY-MM-DD); else ignored."""
    try:
        return date.fromisoformat(typed) if typed else None
    except ValueError:
        return None


def _window(document: dict[str, Any], first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """From the first day's local midnight to the midnight after the last (both included)."""
    since = _local_midnight(document, first) if first else None
    until = _local_midnight(document, last + timedelta(days=1)) if last else None
    return since, until


@router.get("/calls.csv")
def call_log_csv(
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    first_typed: Annotated[str, Query(alias="from", max_length=10)] = "",
    last_typed: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """The calls page's "Download (CSV)": the same columns as the API's calls.csv, for the days chosen."""
    document = pages.common(db, user)["document"]
    since, until = _window(document, _day(first_typed), _day(last_typed))
    services.call_log.flush()
    timezone = document.get("timezone", DEFAULT_TIMEZONE)
    return streamed_csv(services.database, user.business_id, timezone, since, until, "calls.csv")

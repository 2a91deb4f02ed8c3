"""/admin and /admin/calls: the overview (what a caller hears now, today's calls) and the call log."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ivr.callflow.steps import Outcome
from ivr.document.model import DEFAULT_TIMEZONE
from ivr.store import calls
from ivr.web.admin import pages
from ivr.web.admin.heard import heard_now
from ivr.web.admin.pages import UserDep
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(include_in_schema=False)

# The outcomes a business's calls can have (a call to an unknown number belongs to no business).
CALL_OUTCOMES = [outcome.value for outcome in Outcome if outcome is not Outcome.UNKNOWN_NUMBER]
CALLS_SHOWN = 200


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
) -> Response:
    shared = pages.common(db, user)
    since = _local_midnight(shared["document"], day) if day else None
    until = _local_midnight(shared["document"], day + timedelta(days=1)) if day else None
    services.call_log.flush()
    logged = calls.recent(
        db.session.connection(),
        user.business_id,
        limit=CALLS_SHOWN,
        since=since,
        until=until,
        outcome=outcome if outcome in CALL_OUTCOMES else None,
        with_simulated=True,
    )
    filters = {"day": day.isoformat() if day else "", "outcome": outcome, "outcomes": CALL_OUTCOMES}
    title = pages.words(request, shared["document"]).gettext("Calls")
    return pages.page(request, "calls.html", "calls", **shared, calls=logged, filters=filters, page_title=title)

"""/admin: log in, see what a caller hears, change greetings, ring count, hours, periods; see the calls.

Every change goes through ivr.administration (the document model, the checker, the store), so it is heard on
the very next call. Forms carry a CSRF token kept in the signed session cookie.
"""

import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from ivr import administration
from ivr.callflow.model import Country
from ivr.callflow.ringing import MAX_RINGS, MIN_RINGS
from ivr.callflow.steps import Outcome
from ivr.document.load import validate_document
from ivr.forwarding import forward_codes
from ivr.simulator.caller import Transcript
from ivr.store import calls, staff
from ivr.store.staff import StaffUser
from ivr.web.admin import greetings, pages
from ivr.web.admin.forms import OverflowKind, listed, overflow_fields, overflow_part
from ivr.web.admin.i18n import LANGUAGES, english_days
from ivr.web.admin.pages import UserDep
from ivr.web.preview import caller_hears
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/admin", include_in_schema=False)
router.include_router(greetings.router)


def _hears(services: Services, document: dict[str, Any]) -> Transcript:
    return caller_hears(services, document, services.clock())


# The outcomes a business's calls can have (a call to an unknown number belongs to no business).
CALL_OUTCOMES = [outcome.value for outcome in Outcome if outcome is not Outcome.UNKNOWN_NUMBER]
CALLS_SHOWN = 200


def _local_midnight(document: dict[str, Any], day: date) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(document["timezone"])).astimezone(UTC)


@router.get("/login")
def login_page(request: Request) -> Response:
    return pages.page(request, "login.html", "login")


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    pages.check_csrf(request, csrf)
    with services.database.transaction() as session:
        user = staff.verify(session, email, password)
    if user is None:
        failed = [pages.words(request)["login_failed"]]
        page = pages.page(request, "login.html", "login", problems=failed)
        page.status_code = 401
        return page
    request.session["user"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(24)  # a fresh token after logging in
    return RedirectResponse("/admin", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()]) -> Response:
    pages.check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/admin/login", status_code=303)


@router.get("/language/{language}")
def choose_language(request: Request, language: str) -> Response:
    if language in LANGUAGES:
        request.session["lang"] = language
    return RedirectResponse(_back_to(request), status_code=303)


def _back_to(request: Request) -> str:
    """The admin page the visitor came from; never another site (the Referer header is the visitor's to set)."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc)
    if same_site and (referer.path == "/admin" or referer.path.startswith("/admin/")):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/admin"


@router.get("")
def dashboard(request: Request, services: ServicesDep, user: UserDep) -> Response:
    common = pages.common(services, user)
    document = common["document"]
    local_today = services.clock().astimezone(ZoneInfo(document["timezone"])).date()
    services.call_log.flush()
    with services.database.transaction() as session:
        today = calls.recent(session, user.business_id, since=_local_midnight(document, local_today))
    return pages.page(
        request,
        "dashboard.html",
        "dashboard",
        **common,
        transcript=_hears(services, document),
        calls=today,
        recordings=pages.recording_names(services, user, document.get("language", "nl")),
    )


@router.get("/calls")
def call_log(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    day: Annotated[date | None, Query()] = None,
    outcome: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    shared = pages.common(services, user)
    since = _local_midnight(shared["document"], day) if day else None
    until = _local_midnight(shared["document"], day + timedelta(days=1)) if day else None
    services.call_log.flush()
    with services.database.transaction() as session:
        logged = calls.recent(
            session,
            user.business_id,
            limit=CALLS_SHOWN,
            since=since,
            until=until,
            outcome=outcome if outcome in CALL_OUTCOMES else None,
        )
    filters = {"day": day.isoformat() if day else "", "outcome": outcome, "outcomes": CALL_OUTCOMES}
    return pages.page(request, "calls.html", "calls", **shared, calls=logged, filters=filters)


def _settings_page(request: Request, services: Services, user: StaffUser, **extra: Any) -> Response:
    common = pages.common(services, user)
    document = common["document"]
    meaning = administration.ring_meaning(validate_document(document))
    codes = forward_codes(document.get("rings", 4), document["numbers"][0], Country(document.get("country", "NL")))
    return pages.page(
        request,
        "settings.html",
        "settings",
        **common,
        rings=meaning,
        transcript=_hears(services, document),
        recordings=pages.recording_names(services, user, document.get("language", "nl")),
        forward_codes=codes,
        overflow=overflow_fields(document),
        **extra,
    )


@router.get("/settings")
def settings_page(request: Request, services: ServicesDep, user: UserDep) -> Response:
    return _settings_page(request, services, user)


@router.get("/settings/rings/meaning")
def ring_meaning(
    request: Request, services: ServicesDep, user: UserDep, rings: Annotated[int, Query(ge=MIN_RINGS, le=MAX_RINGS)]
) -> dict[str, Any]:
    """What a ring count would mean, before it is saved: the slider shows it as it moves."""
    candidate = validate_document({**pages.document_of(services, user), "rings": rings})
    meaning = administration.ring_meaning(candidate)
    return {
        "rings": meaning.rings,
        "ringing_s": meaning.ringing_s,
        "text": pages.words(request)["seconds"].format(rings=meaning.rings, s=meaning.ringing_s),
        "warnings": meaning.warnings,
    }


def _after_save(request: Request, services: Services, user: StaffUser, problems: list[str]) -> Response:
    notice = None if problems else pages.words(request)["saved"]
    page = _settings_page(request, services, user, problems=problems, notice=notice)
    if problems:
        page.status_code = 422
    return page


@router.post("/settings/rings")
def save_rings(
    request: Request, services: ServicesDep, user: UserDep, rings: Annotated[str, Form()], csrf: Annotated[str, Form()]
) -> Response:
    pages.check_csrf(request, csrf)
    problems = (
        ["rings: give a whole number from 1 to 10"]
        if not rings.isdigit()
        else pages.save_parts(services, user, {"rings": int(rings)})
    )
    return _after_save(request, services, user, problems)


@router.post("/settings/phones")
def save_phones(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    operators: Annotated[str, Form()],
    ring: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    overflow_kind: Annotated[OverflowKind | None, Form()] = None,
    overflow_dial: Annotated[str, Form()] = "",
    overflow_email: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    parts: dict[str, Any] = {
        "operators": listed(operators),
        "ring": ring,
        **overflow_part(overflow_kind, overflow_dial, overflow_email),
    }
    return _after_save(request, services, user, pages.save_parts(services, user, parts))


@router.post("/settings/hours")
def save_hours(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    hours: Annotated[str, Form()] = "",
    holidays: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    parsed: dict[str, str] = {}
    for line in hours.splitlines():
        days, _, times = line.strip().partition(" ")
        if days:
            parsed[english_days(days)] = times.strip()
    # The box says "closed on holidays"; a list of which ones (written in the document) is kept while it is ticked.
    current = pages.document_of(services, user).get("holidays", True)
    closed_on_holidays = (current if isinstance(current, list) else True) if holidays == "on" else False
    problems = pages.save_parts(services, user, {"hours": parsed or None, "holidays": closed_on_holidays})
    return _after_save(request, services, user, problems)


@router.post("/settings/periods")
def add_period(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    start: Annotated[date, Form()],
    end: Annotated[date, Form()],
    text: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    dial: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    period: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "greeting": {"text": text.strip()}}
    if dial.strip():
        period["dial"] = dial.strip()
    current = pages.document_of(services, user).get("periods", [])
    return _after_save(request, services, user, pages.save_parts(services, user, {"periods": [*current, period]}))


@router.post("/settings/periods/{index}/delete")
def remove_period(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    index: Annotated[int, Path(ge=0, le=10_000)],
    start: Annotated[date, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    """Remove the period at this place in the list, if it is still the one the page showed (by its first day)."""
    pages.check_csrf(request, csrf)
    current = list(pages.document_of(services, user).get("periods", []))
    if index >= len(current) or current[index]["from"] != start.isoformat():
        return _after_save(request, services, user, [pages.words(request)["periods_changed"]])
    del current[index]
    return _after_save(request, services, user, pages.save_parts(services, user, {"periods": current}))

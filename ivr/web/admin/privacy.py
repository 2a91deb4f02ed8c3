"""/admin/privacy: how long this business keeps what callers leave, and one caller's data handed over (a ZIP) or
erased everywhere on request (AVG art. 15 and 17). The acts are ivr.privacy.caller's, as `greetline caller` runs
them, each in the audit trail. Owners only: mounted so in ivr.web.admin.router."""

import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic_core import PydanticCustomError

from ivr.document.phones import country_of, read_number
from ivr.privacy.caller import NothingStored, erase_caller, export_caller, masked
from ivr.privacy.caller import Request as CallerRequest
from ivr.privacy.deleters import Holders
from ivr.privacy.retention import retention_of
from ivr.store.staff import StaffUser
from ivr.web.admin.pages import UserDep, check_csrf, common, page, words
from ivr.web.admin.problem_words import said
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep

log = logging.getLogger("greetline.privacy")

router = APIRouter(prefix="/privacy", include_in_schema=False)
T = TypeVar("T")


def _page(
    request: Request, db: RequestSessionDep, user: UserDep, problems: Problems | None = None, **extra: Any
) -> Response:
    shared = common(db, user)
    return page(
        request,
        "privacy.html",
        "privacy",
        status_code=422 if problems else 200,
        **shared,
        page_title=words(request, shared["document"]).gettext("Privacy"),
        retention=retention_of(shared["document"]),
        problems=problems or Problems(),
        **extra,
    )


@router.get("")
def privacy_page(request: Request, db: RequestSessionDep, user: UserDep) -> Response:
    return _page(request, db, user)


def _carried_out(
    request: Request,
    services: Services,
    db: RequestSession,
    user: StaffUser,
    caller: str,
    what: Literal["export", "erase"],
    act: Callable[[Holders, CallerRequest], T],
) -> tuple[CallerRequest, T] | Response:
    """The act done about the number typed, or the page with what was wrong with it (in the page's language) or
    that nothing is stored about it."""
    field = f"{what}-caller"
    document = common(db, user)["document"]
    try:
        number = read_number(caller, country_of(document))
    except PydanticCustomError as error:
        problem = said(words(request, document), error.type, error.context or {})
        return _page(request, db, user, Problems({field: [problem]}), **{f"typed_{what}": caller})
    address = request.client.host if request.client else None
    asked = CallerRequest(user.business_id, number, user.email, services.clock(), address)
    # The act has transactions of its own (an erasure reaches the audio store and Twilio between them).
    db.commit()
    try:
        return asked, act(services.privacy_holders(), asked)
    except NothingStored as error:
        log.warning(
            "business %s: refused a request about %s: nothing is stored", user.business_id, masked(error.caller)
        )
        said_ = words(request).gettext("Nothing is stored about %(number)s: no calls, messages or notes.")
        return _page(request, db, user, Problems({field: [said_ % {"number": error.caller}]}))


@router.post("/export")
def export(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    caller: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    check_csrf(request, csrf)
    done = _carried_out(request, services, db, user, caller, "export", export_caller)
    if isinstance(done, Response):
        return done
    asked, data = done
    name = f"greetline-{asked.caller.lstrip('+')}-{asked.at:%Y%m%d}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.post("/erase")
def erase(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    caller: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    check_csrf(request, csrf)
    done = _carried_out(request, services, db, user, caller, "erase", erase_caller)
    if isinstance(done, Response):
        return done
    asked, counts = done
    notice = words(request).gettext(
        "Erased everything about %(number)s: %(calls)s calls, %(voicemails)s messages, %(notes)s call notes."
    ) % {
        "number": asked.caller,
        "calls": counts["calls"],
        "voicemails": counts["voicemails"],
        "notes": counts["call_notes"],
    }
    return _page(request, db, user, notice=notice)

"""/admin/blocked: "Blokkeer dit nummer" on a call or a message, and its undo; back to the page it was pressed on."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ivr.usecases.blocking import blocked_in
from ivr.web.admin.pages import UserDep, check_csrf
from ivr.web.request_session import RequestSessionDep, remember_after_commit
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/blocked", include_in_schema=False)
# Only back to one of our own pages: a form's `back` is never an address elsewhere.
PAGES = ("/admin/calls", "/admin/messages", "/admin")


@router.post("")
def block(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    number: Annotated[str, Form(max_length=32)],
    blocked: Annotated[bool, Form()] = True,
    back: Annotated[str, Form(max_length=200)] = "/admin/calls",
) -> Response:
    check_csrf(request, csrf)
    saved = blocked_in(db.session, user.business_id, number, services.clock(), blocked=blocked, by=user.email)
    remember_after_commit(db, services.database, saved.stored)
    target = back if back.partition("?")[0].partition("#")[0] in PAGES else "/admin/calls"
    return RedirectResponse(target, status_code=303)

"""/admin/callbacks: the callers who asked to be called back ("Terugbellen"), open ones first, each marked done
(and open again, a mistake undone); the texts sent back to missed mobile callers; and the secret URL of the calendar
feed of the open requests, rotated here too."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from ivr.messages.callback_feed import feed_url
from ivr.store import callbacks, text_backs
from ivr.web.admin.pages import UserDep, check_csrf, common, page, words
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/callbacks", include_in_schema=False)
# The page lists this many requests at most (the API pages through more).
REQUESTS_SHOWN = 200


@router.get("")
def callbacks_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    shared = common(db, user)
    found = callbacks.listed(db.session, user.business_id, limit=REQUESTS_SHOWN)
    token = callbacks.feed_token(db.session, user.business_id, services.clock())
    texted = text_backs.listed(db.session, user.business_id, limit=REQUESTS_SHOWN)
    return page(
        request,
        "callbacks.html",
        "callbacks",
        **shared,
        open_requests=[found_ for found_ in found if not found_.done],
        done_requests=[found_ for found_ in found if found_.done],
        feed=feed_url(services.settings.public_url, token),
        offered=shared["document"].get("callback") is not None,
        text_backs=texted,
        page_title=words(request, shared["document"]).gettext("Call back"),
    )


@router.post("/{request_id}/done")
def mark_done(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    request_id: Annotated[int, Path(ge=1)],
    csrf: Annotated[str, Form()],
    done: Annotated[bool, Form()] = True,
) -> Response:
    check_csrf(request, csrf)
    callbacks.mark(db.session, user.business_id, request_id, services.clock(), done=done)
    return RedirectResponse(f"/admin/callbacks#callback-{request_id}", status_code=303)


@router.post("/feed")
def rotate_feed(
    request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep, csrf: Annotated[str, Form()]
) -> Response:
    check_csrf(request, csrf)
    callbacks.feed_token(db.session, user.business_id, services.clock(), rotate=True)
    return RedirectResponse("/admin/callbacks#feed", status_code=303)

"""/admin/login, /admin/logout and the language switch: who the visitor is, and in which language the pages speak.

Forms carry a CSRF token kept in the signed session cookie; a fresh one is made at each login."""

import math
import secrets
from typing import Annotated
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ivr.store import audit, staff
from ivr.store.staff import StaffUser
from ivr.web.admin import pages
from ivr.web.admin.i18n import LANGUAGES
from ivr.web.admin.problems import Problems
from ivr.web.logins import HashingBusy
from ivr.web.services import ServicesDep

router = APIRouter(include_in_schema=False)

# Where a half-done login waits for its code (ivr.web.admin.two_step): the login's id and session epoch.
PENDING = "pending_login"
# Seconds a visitor asked to try again is told to wait when every password check is taken.
BUSY_RETRY_S = 5


@router.get("/login")
def login_page(request: Request) -> Response:
    return pages.page(request, "login.html", "login")


def _login_page(request: Request, status_code: int, problem: str, retry_after_s: int | None = None) -> Response:
    page = pages.page(request, "login.html", "login", problems=Problems({"form": [problem]}))
    page.status_code = status_code
    if retry_after_s is not None:
        page.headers["Retry-After"] = str(retry_after_s)
    return page


@router.post("/login")
async def login(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form()],
) -> Response:
    pages.check_csrf(request, csrf)
    guard, address = services.logins, request.client.host if request.client else "unknown"
    # The counts are in the database (ivr.web.logins): read and written in worker threads, off the event loop.
    wait_s = math.ceil(await anyio.to_thread.run_sync(guard.wait_s, email, address))
    if wait_s > 0:
        throttled = pages.words(request).gettext("Too many failed attempts. Try again in %(s)s seconds.")
        return _login_page(request, 429, throttled % {"s": wait_s}, wait_s)

    def check() -> StaffUser | None:
        # A transaction of its own, no request session: it runs in the password hashing's threads (ivr.web.logins).
        # The attempt goes into the trail of each business the address logs in to, in the same transaction.
        with services.database.transaction() as session:
            user = staff.verify(session, email, password)
            if user is None:
                known: list[int | None] = [*staff.businesses_of(session, email)]
                for business_id in known or [None]:  # an unknown address: in no business's trail
                    audit.record(
                        session,
                        business_id=business_id,
                        actor=email.lower()[:254],
                        action="login_failed",
                        at=services.clock(),
                        address=address,
                        details={"reason": "password"},
                    )
        guard.record(email, address, succeeded=user is not None)
        return user

    try:
        user = await guard.check_password(check)
    except HashingBusy:
        return _login_page(
            request,
            503,
            pages.words(request).gettext("Many people are logging in right now. Try again in a few seconds."),
            BUSY_RETRY_S,
        )
    if user is None:
        return _login_page(request, 401, pages.words(request).gettext("E-mail address or password is wrong."))
    if user.two_factor:  # the code next (ivr.web.admin.two_step); logged in only once it is right
        request.session[PENDING] = [user.id, user.session_epoch]
        return RedirectResponse("/admin/login/code", status_code=303)
    with services.database.transaction() as session:
        for place in user.memberships:
            audit.record(
                session,
                business_id=place.business_id,
                actor=user.email,
                action="login",
                at=services.clock(),
                address=address,
            )
    return logged_in(request, user)


def logged_in(request: Request, user: StaffUser) -> Response:
    lang = request.session.get("lang")
    request.session.clear()  # nothing from before the login carries over (a half-done two-step login, a business)
    if lang is not None:
        request.session["lang"] = lang
    request.session["user"] = user.id
    request.session["epoch"] = user.session_epoch
    request.session["csrf"] = secrets.token_urlsafe(24)  # a fresh token after logging in
    return RedirectResponse("/admin", status_code=303)


@router.post("/logout")
def logout(request: Request, services: ServicesDep, csrf: Annotated[str, Form()]) -> Response:
    """Ends every session of this login, not only this browser's: a copied cookie stops working too."""
    pages.check_csrf(request, csrf)
    user_id = request.session.get("user")
    if isinstance(user_id, int):
        with services.database.transaction() as session:
            user = staff.get(session, user_id)
            staff.end_sessions(session, user_id)
            if user is not None:
                address = request.client.host if request.client else None
                for place in user.memberships:
                    at = services.clock()
                    audit.record(
                        session,
                        business_id=place.business_id,
                        actor=user.email,
                        action="logout",
                        at=at,
                        address=address,
                    )
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

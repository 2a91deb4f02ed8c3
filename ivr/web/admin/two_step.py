"""Two-step login on the page (issue 24): the code asked after the password, and setting it up or turning it off
under "Uw login". A wrong or reused code counts toward the login throttle like a wrong password, and each attempt
is in the audit trail."""

import math
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ivr.store import audit, staff, two_factor
from ivr.store.staff import StaffUser
from ivr.web.admin import pages
from ivr.web.admin.account import account_page, address_of, record_for_login
from ivr.web.admin.pages import UserDep, check_csrf, words
from ivr.web.admin.problems import Problems
from ivr.web.admin.session import PENDING, logged_in
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep

router = APIRouter(include_in_schema=False)
# The secret being set up, until a first code from the app confirms it.
SETTING_UP = "totp_setup"


def _code_page(request: Request, status_code: int = 200, problem: str | None = None) -> Response:
    problems = Problems({"code": [problem]}) if problem else None
    return pages.page(request, "login_code.html", "login", status_code=status_code, problems=problems)


def _pending(request: Request, db: RequestSessionDep) -> StaffUser:
    pending = request.session.get(PENDING)
    user_id, epoch = pending if isinstance(pending, list) and len(pending) == 2 else (None, None)
    user = staff.get(db.session, user_id) if isinstance(user_id, int) else None
    if user is None or user.session_epoch != epoch:
        request.session.pop(PENDING, None)
        raise HTTPException(303, headers={"Location": "/admin/login"})
    return user


@router.get("/login/code")
def code_page(request: Request, db: RequestSessionDep) -> Response:
    _pending(request, db)
    return _code_page(request)


@router.post("/login/code")
def enter_code(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    csrf: Annotated[str, Form()],
    code: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    check_csrf(request, csrf)
    user = _pending(request, db)
    guard, address = services.logins, address_of(request) or "unknown"
    words_ = words(request)
    wait_s = math.ceil(guard.wait_s(user.email, address))
    if wait_s > 0:
        throttled = words_.gettext("Too many failed attempts. Try again in %(s)s seconds.") % {"s": wait_s}
        page = _code_page(request, 429, throttled)
        page.headers["Retry-After"] = str(wait_s)
        return page
    passed = two_factor.check_code(db.session, user.id, code, services.clock())
    guard.record(user.email, address, succeeded=passed is not None)
    if passed is None:
        for place in user.memberships:
            audit.record(
                db.session,
                business_id=place.business_id,
                actor=user.email,
                action="login_failed",
                at=services.clock(),
                address=address,
                details={"reason": "code"},
            )
        return _code_page(request, 401, words_.gettext("This code is wrong or was used already."))
    record_for_login(services, db, user, "recovery_code_used" if passed == "recovery" else "login", address)
    return logged_in(request, user)


@router.post("/account/two-factor/start")
def start_setup(request: Request, db: RequestSessionDep, user: UserDep, csrf: Annotated[str, Form()]) -> Response:
    check_csrf(request, csrf)
    secret = two_factor.new_secret()
    request.session[SETTING_UP] = secret
    return account_page(request, db, user, setting_up=_setup(secret, user))


def _setup(secret: str, user: StaffUser) -> dict[str, str]:
    import segno  # only for the page that sets two-step login up

    uri = two_factor.setup_uri(secret, user.email)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    # Grouped by four, as phone apps show a key typed in by hand.
    return {"secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), "qr_svg": qr_svg}


@router.post("/account/two-factor/confirm")
def confirm_setup(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    code: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    check_csrf(request, csrf)
    secret = request.session.get(SETTING_UP)
    if not isinstance(secret, str):
        return RedirectResponse("/admin/account", status_code=303)
    step = two_factor.matching_step(secret, code, services.clock())
    if step is None:
        return _wrong_code(request, db, user, "code", setting_up=_setup(secret, user))
    codes = two_factor.turn_on(db.session, user.id, secret, step)
    request.session.pop(SETTING_UP, None)
    notice = words(request).gettext("Two-step login is on. Keep these recovery codes somewhere safe: each works once.")
    return _switched(request, services, db, user, "two_factor_enabled", notice, recovery_codes=codes)


@router.post("/account/two-factor/off")
def turn_off(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    code: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if services.settings.require_2fa and any(m.role == "owner" for m in user.memberships):
        refused = words_.gettext("Two-step login is required for owners here; it stays on.")
        return account_page(request, db, user, Problems({"form": [refused]}))
    if two_factor.check_code(db.session, user.id, code, services.clock()) is None:
        return _wrong_code(request, db, user, "off-code")
    two_factor.turn_off(db.session, user.id)
    return _switched(request, services, db, user, "two_factor_disabled", words_.gettext("Two-step login is off."))


def _wrong_code(request: Request, db: RequestSession, user: StaffUser, field: str, **extra: Any) -> Response:
    wrong = words(request).gettext("This code is wrong or was used already.")
    return account_page(request, db, user, Problems({field: [wrong]}), **extra)


def _switched(
    request: Request, services: Services, db: RequestSession, user: StaffUser, action: str, notice: str, **extra: Any
) -> Response:
    """Two-step login turned on or off: in the audit trail, and the account page as it is now."""
    record_for_login(services, db, user, action, address_of(request))
    now = staff.get(db.session, user.id, user.business_id) or user
    return account_page(request, db, now, notice=notice, **extra)

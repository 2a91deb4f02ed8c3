"""/admin/account: the login's own: its password and which of its businesses it acts for. Open to every role (a
read-only login changes its own password too); what it changes is the login, never a business."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ivr.roles import OWNER
from ivr.store import audit, businesses, staff, two_factor
from ivr.store.staff import StaffUser
from ivr.web.admin.access_words import role_names
from ivr.web.admin.pages import UserDep, check_csrf, page, words
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep, get_services

router = APIRouter(prefix="/account", include_in_schema=False)
choose_router = APIRouter(include_in_schema=False)


def address_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def places(db: RequestSession, user: StaffUser) -> list[dict[str, Any]]:
    """The login's businesses by name, for the picker."""
    return [
        {"id": m.business_id, "name": businesses.get(db.session, m.business_id).document["business"], "role": m.role}
        for m in user.memberships
    ]


def account_page(
    request: Request,
    db: RequestSession,
    user: StaffUser,
    problems: Problems | None = None,
    **extra: Any,
) -> Response:
    document = businesses.get(db.session, user.business_id).document
    words_ = words(request, document)
    return page(
        request,
        "account.html",
        "account",
        status_code=422 if problems else 200,
        user=user,
        business=document["business"],
        document=document,
        page_title=words_.gettext("Your login"),
        places=places(db, user),
        roles=role_names(words_),
        problems=problems or Problems(),
        min_password_length=staff.MIN_PASSWORD_LENGTH,
        recovery_codes_left=two_factor.recovery_codes_left(db.session, user.id) if user.two_factor else 0,
        two_factor_required=get_services(request).settings.require_2fa and user.role == OWNER and not user.two_factor,
        **extra,
    )


@router.get("")
def show_account(request: Request, db: RequestSessionDep, user: UserDep) -> Response:
    return account_page(request, db, user)


@router.post("/password")
def change_password(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if len(new) < staff.MIN_PASSWORD_LENGTH:
        short = words_.gettext("A password has at least %(count)s characters.") % {"count": staff.MIN_PASSWORD_LENGTH}
        return account_page(request, db, user, Problems({"new-password-own": [short]}))
    epoch = staff.change_password(db.session, user.id, current, new)
    if epoch is None:
        wrong = words_.gettext("The current password is wrong.")
        return account_page(request, db, user, Problems({"current-password": [wrong]}))
    record_for_login(services, db, user, "password_changed", address_of(request))
    request.session["epoch"] = epoch  # this browser stays logged in; every other session of the login ends
    return account_page(request, db, user, notice=words_.gettext("Your password is changed."))


def record_for_login(
    services: Services, db: RequestSession, user: StaffUser, action: str, address: str | None, **details: Any
) -> None:
    """An act on the login itself belongs in the trail of every business it logs in to."""
    for place in user.memberships:
        audit.record(
            db.session,
            business_id=place.business_id,
            actor=user.email,
            action=action,
            at=services.clock(),
            address=address,
            details=details,
        )


@choose_router.post("/business")
def choose_business(
    request: Request,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    business_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
) -> Response:
    """A login at several businesses (a practice with two locations) acts for one at a time."""
    check_csrf(request, csrf)
    if business_id not in {m.business_id for m in user.memberships}:
        raise HTTPException(404)  # not whether that business exists: only that it is not this login's
    request.session["business"] = business_id
    return RedirectResponse("/admin", status_code=303)

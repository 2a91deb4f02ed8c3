"""/admin/staff: who can log in for this business; add and remove logins; change one's own password."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from ivr.document.phones import email as checked_email
from ivr.errors import ConflictError
from ivr.store import staff
from ivr.web.admin.pages import UserDep, check_csrf, common, page, words
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/staff", include_in_schema=False)
StaffId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    problems: Problems | None = None,
    **extra: Any,
) -> Response:
    shared = common(db, user)
    members = staff.of_business(db.session, user.business_id)
    return page(
        request,
        "staff.html",
        "staff",
        status_code=422 if problems else 200,
        **shared,
        page_title=words(request, shared["document"]).gettext("Staff"),
        members=members,
        problems=problems or Problems(),
        min_password_length=staff.MIN_PASSWORD_LENGTH,
        **extra,
    )


@router.get("")
def staff_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    return _page(request, services, db, user)


@router.post("")
def add_staff(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    problems = Problems()
    try:
        address = checked_email(email)
    except ValueError:
        problems.add(
            "new-email",
            words_.gettext("%(value)s is not an e-mail address, e.g. praktijk@example.nl") % {"value": email},
        )
    if len(password) < staff.MIN_PASSWORD_LENGTH:
        problems.add(
            "new-password",
            words_.gettext("A password has at least %(count)s characters.") % {"count": staff.MIN_PASSWORD_LENGTH},
        )
    if not problems:
        try:
            staff.add(db.session, business_id=user.business_id, email=address, password=password, now=services.clock())
        except ConflictError:
            db.refused()
            problems.add("new-email", words_.gettext("%(value)s already has a login.") % {"value": address})
    if problems:
        return _page(request, services, db, user, problems, typed_email=email)
    return _page(request, services, db, user, notice=words_.gettext("%(value)s can log in now.") % {"value": address})


@router.post("/{staff_id}/remove")
def remove_staff(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    staff_id: StaffId,
    csrf: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if staff_id == user.id:
        return _page(
            request, services, db, user, Problems({"form": [words_.gettext("You cannot remove your own login.")]})
        )
    staff.remove(db.session, user.business_id, staff_id)
    return _page(request, services, db, user, notice=words_.gettext("Removed."))


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
        return _page(request, services, db, user, Problems({"new-password-own": [short]}))
    epoch = staff.change_password(db.session, user.id, current, new)
    if epoch is None:
        wrong = words_.gettext("The current password is wrong.")
        return _page(request, services, db, user, Problems({"current-password": [wrong]}))
    request.session["epoch"] = epoch  # this browser stays logged in; every other session of the login ends
    return _page(request, services, db, user, notice=words_.gettext("Your password is changed."))

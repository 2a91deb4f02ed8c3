"""/admin/staff: who can log in for this business; add and remove logins; change one's own password."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import Response

from ivr.document.phones import email as checked_email
from ivr.errors import ConflictError, NotFoundError
from ivr.store import staff
from ivr.web.admin.pages import UserDep, check_csrf, common, page, words
from ivr.web.admin.problems import Problems
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/staff", include_in_schema=False)
StaffId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request, services: ServicesDep, user: UserDep, problems: Problems | None = None, **extra: Any
) -> Response:
    shared = common(services, user)
    with services.database.transaction() as session:
        members = staff.of_business(session, user.business_id)
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
def staff_page(request: Request, services: ServicesDep, user: UserDep) -> Response:
    return _page(request, services, user)


@router.post("")
def add_staff(
    request: Request,
    services: ServicesDep,
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
            with services.database.transaction() as session:
                staff.add(session, business_id=user.business_id, email=address, password=password, now=services.clock())
        except ConflictError:
            problems.add("new-email", words_.gettext("%(value)s already has a login.") % {"value": address})
    if problems:
        return _page(request, services, user, problems, typed_email=email)
    return _page(request, services, user, notice=words_.gettext("%(value)s can log in now.") % {"value": address})


@router.post("/{staff_id}/remove")
def remove_staff(
    request: Request, services: ServicesDep, user: UserDep, staff_id: StaffId, csrf: Annotated[str, Form()]
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if staff_id == user.id:
        return _page(request, services, user, Problems({"form": [words_.gettext("You cannot remove your own login.")]}))
    try:
        with services.database.transaction() as session:
            staff.remove(session, user.business_id, staff_id)
    except NotFoundError:
        raise HTTPException(404, "no such staff login") from None
    return _page(request, services, user, notice=words_.gettext("Removed."))


@router.post("/password")
def change_password(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if len(new) < staff.MIN_PASSWORD_LENGTH:
        short = words_.gettext("A password has at least %(count)s characters.") % {"count": staff.MIN_PASSWORD_LENGTH}
        return _page(request, services, user, Problems({"new-password-own": [short]}))
    with services.database.transaction() as session:
        epoch = staff.change_password(session, user.id, current, new)
    if epoch is None:
        wrong = words_.gettext("The current password is wrong.")
        return _page(request, services, user, Problems({"current-password": [wrong]}))
    request.session["epoch"] = epoch  # this browser stays logged in; every other session of the login ends
    return _page(request, services, user, notice=words_.gettext("Your password is changed."))

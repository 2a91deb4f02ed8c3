"""/admin/staff (owners): who can log in for this business, in which role; add and remove logins, change roles. Each
change leaves an entry in the audit trail."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from ivr.document.phones import email as checked_email
from ivr.errors import ConflictError
from ivr.roles import ROLES, STAFF
from ivr.store import audit, staff
from ivr.store.staff import StaffUser
from ivr.web.admin.access import OwnerDep
from ivr.web.admin.access_words import role_names
from ivr.web.admin.pages import check_csrf, common, page, words
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/staff", include_in_schema=False)
StaffId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: OwnerDep,
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
        roles=role_names(words(request, shared["document"])),
        problems=problems or Problems(),
        min_password_length=staff.MIN_PASSWORD_LENGTH,
        **extra,
    )


@router.get("")
def staff_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: OwnerDep) -> Response:
    return _page(request, services, db, user)


@router.post("")
def add_staff(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: OwnerDep,
    csrf: Annotated[str, Form()],
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = STAFF,
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
    if role not in ROLES:
        problems.add("new-role", words_.gettext("Choose one of the roles."))
    if not problems:
        try:
            staff.add(
                db.session,
                business_id=user.business_id,
                email=address,
                password=password,
                now=services.clock(),
                role=role,
            )
            _record(request, services, db, user, "staff_added", {"email": address, "role": role})
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
    user: OwnerDep,
    staff_id: StaffId,
    csrf: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if staff_id == user.id:
        return _page(
            request, services, db, user, Problems({"form": [words_.gettext("You cannot remove your own login.")]})
        )
    removed = staff.remove(db.session, user.business_id, staff_id)
    _record(request, services, db, user, "staff_removed", {"email": removed.email, "role": removed.role})
    return _page(request, services, db, user, notice=words_.gettext("Removed."))


@router.post("/{staff_id}/role")
def change_role(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: OwnerDep,
    staff_id: StaffId,
    csrf: Annotated[str, Form()],
    role: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if staff_id == user.id:  # an owner who made itself staff could not undo it; another owner can
        return _page(
            request, services, db, user, Problems({"form": [words_.gettext("You cannot change your own role.")]})
        )
    if role not in ROLES:
        return _page(request, services, db, user, Problems({"form": [words_.gettext("Choose one of the roles.")]}))
    member, before = staff.set_role(db.session, user.business_id, staff_id, role)
    if before != role:
        _record(request, services, db, user, "role_changed", {"email": member.email, "from": before, "to": role})
    return _page(
        request,
        services,
        db,
        user,
        notice=words_.gettext("The role of %(email)s is changed.") % {"email": member.email},
    )


def _record(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: StaffUser,
    action: str,
    details: dict[str, str],
) -> None:
    audit.record(
        db.session,
        business_id=user.business_id,
        actor=user.email,
        action=action,
        at=services.clock(),
        address=request.client.host if request.client else None,
        details=details,
    )

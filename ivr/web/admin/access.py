"""Who may do what on the admin pages: one guard per kind of page, set on the routers (ivr.web.admin.router), so a
page added later is guarded by where it is mounted, not by remembering a check in each route.

A refusal is a 403 whose reason the error page says in the visitor's language, and a line in the log.
"""

import logging
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from ivr.roles import OWNER, changes_business, manages_staff, opens_pages
from ivr.store.staff import StaffUser
from ivr.web.admin.pages import OWNERS_ONLY, ROLE_REFUSED, UserDep
from ivr.web.services import Services, ServicesDep

log = logging.getLogger(__name__)

# Methods that only read; anything else changes something.
READING = frozenset({"GET", "HEAD", "OPTIONS"})


def _refuse(request: Request, user: StaffUser, reason: str) -> HTTPException:
    log.warning(
        "refused %s %s for %s (%s at business %s): %s",
        request.method,
        request.url.path,
        user.email,
        user.role,
        user.business_id,
        reason,
    )
    return HTTPException(403, reason)


def _elsewhere(services: Services, user: StaffUser) -> None:
    """An answering service goes to its console (ivr.web.console_page); an owner who must set up two-step login
    first, to its login's page."""
    if not opens_pages(user.role):
        raise HTTPException(303, headers={"Location": "/console"})
    if services.settings.require_2fa and user.role == OWNER and not user.two_factor:
        raise HTTPException(303, headers={"Location": "/admin/account"})


def business_page(request: Request, services: ServicesDep, user: UserDep) -> StaffUser:
    """The business's pages: every role but the answering service's sees them; only owners and staff change them."""
    _elsewhere(services, user)
    if request.method not in READING and not changes_business(user.role):
        raise _refuse(request, user, ROLE_REFUSED)
    return user


def owner_page(request: Request, services: ServicesDep, user: UserDep) -> StaffUser:
    """Logins and roles, the audit trail: owners only, reading too."""
    _elsewhere(services, user)
    if not manages_staff(user.role):
        raise _refuse(request, user, OWNERS_ONLY)
    return user


OwnerDep = Annotated[StaffUser, Depends(owner_page)]

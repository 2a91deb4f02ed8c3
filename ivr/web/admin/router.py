"""/admin: every page's routes under one prefix. One module per page; the forms that change the business document
share one cycle (ivr.web.admin.cycle). Where a page is mounted decides who may use it (ivr.web.admin.access)."""

from fastapi import APIRouter, Depends

from ivr.web.admin import (
    account,
    answering,
    audit,
    being_spoken,
    blocking,
    callbacks,
    cards,
    dashboard,
    greetings,
    history,
    holidays,
    inbox,
    keys,
    password_reset,
    periods,
    privacy,
    session,
    settings,
    statistics,
    team,
    texts,
    two_step,
)
from ivr.web.admin.access import business_page, owner_page

router = APIRouter(include_in_schema=False)
# The login's own: logging in and out, the language, its password and two-factor, which business it acts for; the
# answering service's cards check what the login serves themselves.
for own in (
    session.router,
    password_reset.router,
    two_step.router,
    account.router,
    account.choose_router,
    cards.router,
):
    router.include_router(own, prefix="/admin")
for page in (
    dashboard,
    settings,
    periods,
    holidays,
    greetings,
    history,
    inbox,
    callbacks,
    blocking,
    texts,
    answering,
    statistics,
    being_spoken,
):
    # here, as the overview's own path is the prefix alone
    router.include_router(page.router, prefix="/admin", dependencies=[Depends(business_page)])
for owners in (team, audit, privacy, keys):
    router.include_router(owners.router, prefix="/admin", dependencies=[Depends(owner_page)])

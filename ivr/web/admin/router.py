"""/admin: every page's routes under one prefix. One module per page; the forms that change the business document
share one cycle (ivr.web.admin.cycle). Where a page is mounted decides who may use it (ivr.web.admin.access)."""

from typing import Any

from fastapi import APIRouter, Depends, FastAPI

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


def include_admin(app: FastAPI) -> None:
    """Each page's router into the app itself, under /admin. Not through one router of their own: FastAPI (0.165)
    builds every route of the routers inside a router included without a prefix, at once, to check their paths, and
    those built routes are never the ones served (the app builds its own on the first request that passes them):
    2 MB of an idle server's memory (issue 12)."""

    def include(router: APIRouter, **options: Any) -> None:
        app.include_router(router, prefix="/admin", include_in_schema=False, **options)

    # The login's own: logging in and out, the language, its password and two-factor, which business it acts for;
    # the answering service's cards check what the login serves themselves.
    for own in (
        session.router,
        password_reset.router,
        two_step.router,
        account.router,
        account.choose_router,
        cards.router,
    ):
        include(own)
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
        include(page.router, dependencies=[Depends(business_page)])
    for owners in (team, audit, privacy, keys):
        include(owners.router, dependencies=[Depends(owner_page)])

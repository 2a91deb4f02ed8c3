"""/admin: every page's routes under one prefix. One module per page; the forms that change the business document
share one cycle (ivr.web.admin.cycle)."""

from fastapi import APIRouter

from ivr.web.admin import (
    answering,
    blocking,
    callbacks,
    dashboard,
    greetings,
    history,
    inbox,
    periods,
    privacy,
    session,
    settings,
    statistics,
    team,
    texts,
)

router = APIRouter(include_in_schema=False)
PAGES = (
    session,
    dashboard,
    settings,
    periods,
    greetings,
    history,
    inbox,
    callbacks,
    blocking,
    team,
    privacy,
    texts,
    answering,
    statistics,
)
for page in PAGES:
    router.include_router(page.router, prefix="/admin")  # here, as the overview's own path is the prefix alone

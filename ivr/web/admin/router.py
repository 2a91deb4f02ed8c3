"""/admin: every page's routes under one prefix. One module per page; the forms that change the business document
share one cycle (ivr.web.admin.cycle)."""

from fastapi import APIRouter

from ivr.web.admin import (
    answering,
    being_spoken,
    dashboard,
    greetings,
    history,
    inbox,
    periods,
    session,
    settings,
    team,
    texts,
)

router = APIRouter(include_in_schema=False)
for page in (session, dashboard, settings, periods, greetings, history, inbox, team, texts, answering, being_spoken):
    router.include_router(page.router, prefix="/admin")  # here, as the overview's own path is the prefix alone

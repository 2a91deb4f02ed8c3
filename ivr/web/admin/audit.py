"""/admin/audit (owners): the business's audit trail, newest first, each act in words and at the business's time."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ivr.store import audit
from ivr.web.admin.access import OwnerDep
from ivr.web.admin.access_words import action_words, event_details
from ivr.web.admin.pages import common, page, words
from ivr.web.request_session import RequestSessionDep

router = APIRouter(prefix="/audit", include_in_schema=False)
# Entries on one page; "older" pages on from the last one shown.
PAGE_SIZE = 100


@router.get("")
def audit_page(
    request: Request,
    db: RequestSessionDep,
    user: OwnerDep,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Response:
    shared = common(db, user)
    words_ = words(request, shared["document"])
    found = audit.events(db.session, user.business_id, limit=PAGE_SIZE + 1, before_id=before)
    shown = found[:PAGE_SIZE]
    return page(
        request,
        "audit.html",
        "audit",
        **shared,
        page_title=words_.gettext("Audit trail"),
        entries=[(event, event_details(words_, event)) for event in shown],
        actions=action_words(words_),
        older=shown[-1].id if len(found) > PAGE_SIZE else None,
    )

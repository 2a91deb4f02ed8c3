"""/api/v1 blocked numbers: block a caller's number (it hears a short closed text and reaches nobody), and unblock it;
both change the document's blocked: list, as a PATCH of it would."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from ivr.usecases.blocking import blocked_in
from ivr.web.api.auth import BusinessId, CallerDep, owned_document
from ivr.web.api.errors import CHANGE_RESPONSES, ERROR_RESPONSES
from ivr.web.api.inputs import known_query
from ivr.web.api.revisions import ETAG_HEADER, IfMatch, with_etag
from ivr.web.request_session import RequestSessionDep, remember_after_commit
from ivr.web.services import ServicesDep

router = APIRouter(
    prefix="/api/v1", tags=["blocked numbers"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)]
)
# A change to the document: it takes If-Match and answers the new revision in ETag, as PUT …/config does.
CHANGE: dict[int | str, dict[str, Any]] = {204: {"headers": ETAG_HEADER}, **CHANGE_RESPONSES}
Number = Annotated[str, Path(max_length=32, description="E.164 (+31612345678), or national in the business's country")]


def _set(
    business_id: int,
    number: str,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    if_revision: int | None,
    *,
    blocked: bool,
) -> Response:
    owned_document(db.session, caller, business_id)
    now = services.clock()
    saved = blocked_in(db.session, business_id, number, now, blocked=blocked, if_revision=if_revision)
    remember_after_commit(db, services.database, saved.stored)  # heard from the next call once committed
    response = Response(status_code=204)
    with_etag(response, saved.stored.revision)
    return response


@router.put(
    "/businesses/{business_id}/blocked/{number}", status_code=204, summary="Block a caller's number", responses=CHANGE
)
def block(
    business_id: BusinessId,
    number: Number,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    if_revision: IfMatch,
) -> Response:
    return _set(business_id, number, services, db, caller, if_revision, blocked=True)


@router.delete(
    "/businesses/{business_id}/blocked/{number}", status_code=204, summary="Unblock a caller's number", responses=CHANGE
)
def unblock(
    business_id: BusinessId,
    number: Number,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    if_revision: IfMatch,
) -> Response:
    return _set(business_id, number, services, db, caller, if_revision, blocked=False)

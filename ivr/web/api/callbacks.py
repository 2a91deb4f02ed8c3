"""/api/v1 callback requests: the numbers callers asked to be called back on, newest first; mark one done (or open
again, a mistake undone)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ivr.store import callbacks
from ivr.web.api.auth import BusinessId, CallerDep, owned_document
from ivr.web.api.errors import ERROR_RESPONSES
from ivr.web.api.inputs import ApiInput, known_query
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(
    prefix="/api/v1", tags=["callback requests"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)]
)


class CallbackOut(BaseModel):
    id: int
    caller_number: str = Field(description="E.164: the number read back to the caller and confirmed, or keyed in")
    asked_at: datetime
    call_sid: str | None
    done: bool
    done_at: datetime | None


class DoneIn(ApiInput):
    done: bool = Field(default=True, description="false: open again (a mistake undone)")


@router.get("/businesses/{business_id}/callbacks", summary="Callback requests, newest first")
def list_callbacks(
    business_id: BusinessId,
    db: RequestSessionDep,
    caller: CallerDep,
    open_only: Annotated[bool, Query(alias="open", description="true: only those not yet done")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[CallbackOut]:
    owned_document(db.session, caller, business_id)
    return [
        CallbackOut(
            id=found.id,
            caller_number=found.caller_number,
            asked_at=found.created_at,
            call_sid=found.call_sid,
            done=found.done,
            done_at=found.done_at,
        )
        for found in callbacks.listed(db.session, business_id, open_only=open_only, limit=limit)
    ]


@router.put(
    "/businesses/{business_id}/callbacks/{request_id}/done",
    status_code=204,
    summary='Mark a callback request done, or with {"done": false} open again',
)
def mark_callback_done(
    business_id: BusinessId,
    request_id: Annotated[int, Path(ge=1)],
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    body: Annotated[DoneIn | None, Body(description="without a body: done")] = None,
) -> Response:
    owned_document(db.session, caller, business_id)
    callbacks.mark(db.session, business_id, request_id, services.clock(), done=body.done if body is not None else True)
    return Response(status_code=204)

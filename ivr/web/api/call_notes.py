"""/api/v1 call notes: what the answering service wrote down for each call it took (ivr.web.card), with their
deliveries, as the admin page's inbox lists them; mark one handled (or not)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ivr.messages import inbox
from ivr.store import cards
from ivr.web.api.auth import BusinessId, CallerDep, owned_document
from ivr.web.api.errors import ERROR_RESPONSES
from ivr.web.api.inputs import known_query
from ivr.web.api.voicemails import DeliveryOut, HandledBody, marked_handled
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(
    prefix="/api/v1", tags=["call notes"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)]
)


class CallNoteOut(BaseModel):
    note_id: str
    caller_name: str
    caller_number: str | None = Field(description="E.164, read in the business's country as the service typed it")
    message: str
    urgent: bool = Field(description="urgent notes also go out by SMS")
    written_at: datetime
    handled: bool
    deliveries: list[DeliveryOut]


@router.get("/businesses/{business_id}/call-notes", summary="The answering service's call notes, newest first")
def list_call_notes(
    business_id: BusinessId,
    db: RequestSessionDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = inbox.MESSAGES_SHOWN,
) -> list[CallNoteOut]:
    owned_document(db.session, caller, business_id)
    return [
        CallNoteOut(
            note_id=note.note_id,
            caller_name=note.caller_name,
            caller_number=note.caller_number,
            message=note.message,
            urgent=note.urgent,
            written_at=note.written_at,
            handled=note.handled_at is not None,
            deliveries=[DeliveryOut(**d.__dict__) for d in note.deliveries],
        )
        for note in inbox.call_notes(db.session, business_id, limit=limit)
    ]


@router.put(
    "/businesses/{business_id}/call-notes/{note_id}/handled",
    status_code=204,
    summary='Mark a call note as handled, or with {"handled": false} as not handled',
)
def mark_note_handled(
    business_id: BusinessId,
    note_id: Annotated[str, Path(max_length=64)],
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    body: HandledBody = None,
) -> Response:
    return marked_handled(cards.note_handled, db, caller, business_id, note_id, services.clock(), body)

"""/api/v1 voicemails: the messages callers left, with their deliveries; listen to one, mark it handled (or not)."""

from datetime import datetime
from typing import Annotated, Protocol

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ivr.messages import inbox
from ivr.store import voicemails
from ivr.store.keys import SHOWN_PREFIX_LENGTH
from ivr.web.api.auth import BusinessId, Caller, CallerDep, PresentedKeyDep, owned_document
from ivr.web.api.errors import ERROR_RESPONSES
from ivr.web.api.inputs import ApiInput, known_query
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import ServicesDep
from ivr.web.voicemail_download import audio_response, listened

router = APIRouter(
    prefix="/api/v1", tags=["voicemails"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)]
)


class DeliveryOut(BaseModel):
    channel: str = Field(description="email or sms")
    to: str
    state: str = Field(
        description="waiting, sending, retrying, sent, printed (on the server's console, not sent: no SMTP server or "
        "Twilio account configured) or failed"
    )
    attempts: int
    next_attempt_at: datetime | None
    finished_at: datetime | None
    error: str | None


class VoicemailOut(BaseModel):
    recording_sid: str
    call_sid: str
    url: str = Field(description="Twilio's copy (deleted there when GREETLINE_TWILIO_DELETE_RECORDINGS is set)")
    duration_s: int | None
    received_at: datetime
    handled: bool
    box: str | None
    caller: str | None
    audio_url: str | None = Field(description="our copy, for this key only; null until it is fetched")
    deliveries: list[DeliveryOut]
    transcript: str | None = Field(None, description="what the caller said, written out by a computer (may be wrong)")
    transcript_language: str | None = Field(None, description="the language the caller spoke: nl, de, fr or en")
    transcript_status: str = Field(
        "none", description="pending, done, failed (tried again later) or none (no transcriber is set up)"
    )
    urgent: bool = Field(False, description="the transcript holds one of the business's urgent words")


@router.get("/businesses/{business_id}/voicemails", summary="Voicemail messages, newest first, with deliveries")
def list_voicemails(
    business_id: BusinessId,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    unhandled: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = inbox.MESSAGES_SHOWN,
    q: Annotated[str | None, Query(max_length=100, description="only messages whose transcript holds this")] = None,
) -> list[VoicemailOut]:
    owned_document(db.session, caller, business_id)
    found = inbox.messages(db.session, business_id, unhandled_only=unhandled, limit=limit, words=q)
    base = f"{services.settings.public_url}/api/v1/businesses/{business_id}/voicemails"
    return [
        VoicemailOut(
            recording_sid=m.recording_sid,
            call_sid=m.call_sid,
            url=m.url,
            duration_s=m.duration_s,
            received_at=m.received_at,
            handled=m.handled_at is not None,
            box=m.box,
            caller=m.caller,
            audio_url=f"{base}/{m.recording_sid}/audio" if m.audio_kept else None,
            deliveries=[DeliveryOut(**d.__dict__) for d in m.deliveries],
            transcript=m.transcript,
            transcript_language=m.transcript_language,
            transcript_status=m.transcript_status.value,
            urgent=m.urgent,
        )
        for m in found
    ]


@router.get(
    "/businesses/{business_id}/voicemails/{recording_sid}/audio",
    summary="A voicemail's recording (MP3), served by us to this business's key only",
    response_class=Response,
    responses={200: {"content": {"audio/mpeg": {}}}},
)
def voicemail_audio(
    business_id: BusinessId,
    recording_sid: Annotated[str, Path(max_length=64)],
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    key: PresentedKeyDep,
    request: Request,
) -> Response:
    document = owned_document(db.session, caller, business_id)
    message = inbox.message(db.session, business_id, recording_sid)
    response = audio_response(services, message, document.get("timezone", "Europe/Amsterdam"), download=False)
    address = request.client.host if request.client else None
    listened(db.session, business_id, f"api:{key.secret[:SHOWN_PREFIX_LENGTH]}", message, services.clock(), address)
    return response


class HandledIn(ApiInput):
    handled: bool = Field(default=True, description="false: not handled after all (a mistake undone)")


HandledBody = Annotated[HandledIn | None, Body(description="without a body: handled")]


class Marks(Protocol):
    """A store's mark of one of a business's items (a voicemail, a call note) as handled or not."""

    def __call__(self, session: Session, business_id: int, key: str, now: datetime, /, *, handled: bool) -> None: ...


def marked_handled(
    mark: Marks, db: RequestSession, caller: Caller, business_id: int, key: str, now: datetime, body: HandledIn | None
) -> Response:
    """The API's PUT …/handled, for each kind of item: without a body, handled."""
    owned_document(db.session, caller, business_id)
    mark(db.session, business_id, key, now, handled=body.handled if body is not None else True)
    return Response(status_code=204)


@router.put(
    "/businesses/{business_id}/voicemails/{recording_sid}/handled",
    status_code=204,
    summary='Mark a voicemail as handled, or with {"handled": false} as not handled',
)
def mark_handled(
    business_id: BusinessId,
    recording_sid: Annotated[str, Path(max_length=64)],
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    body: HandledBody = None,
) -> Response:
    return marked_handled(voicemails.mark_handled, db, caller, business_id, recording_sid, services.clock(), body)

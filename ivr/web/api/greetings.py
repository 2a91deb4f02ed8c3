"""/api/v1 greetings and voicemails: upload, generate from text, list, preview, make active, delete; listen, handle."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from ivr import administration
from ivr.errors import NotFoundError
from ivr.messages import inbox
from ivr.store import library
from ivr.uploads import MAX_UPLOAD_BYTES
from ivr.usecases import greetings as usecase
from ivr.web.api.auth import BusinessId, CallerDep, owned_document
from ivr.web.bodies import uploaded_file
from ivr.web.services import Services, ServicesDep
from ivr.web.voicemail_audio import audio_response

router = APIRouter(prefix="/api/v1", tags=["greetings"])

GreetingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class GreetingOut(BaseModel):
    id: int
    file_name: str
    media_id: str
    duration_s: float
    active: bool
    preview_url: str
    report: dict[str, Any]


class TextGreeting(BaseModel):
    text: str = Field(min_length=1, max_length=1000, description="the welcome; {salutation} and {business} allowed")


class RenderOut(BaseModel):
    rendered: int
    problems: list[str]


class DeliveryOut(BaseModel):
    channel: str = Field(description="email or sms")
    to: str
    state: str = Field(description="waiting, sending, retrying, sent or failed")
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


def _out(services: Services, item: library.GreetingRecording, active_media: str | None) -> GreetingOut:
    return GreetingOut(
        id=item.id,
        file_name=item.file_name,
        media_id=item.media_id,
        duration_s=item.duration_s,
        active=item.media_id == active_media,
        preview_url=f"{services.settings.public_url}/media/{item.media_id}.mp3",
        report=item.report,
    )


def _active_media(document: dict[str, Any]) -> str | None:
    media: str | None = (document.get("greeting") or {}).get("media")
    return media


@router.get("/businesses/{business_id}/greetings", summary="Uploaded greetings, the active one marked")
def list_greetings(business_id: BusinessId, services: ServicesDep, caller: CallerDep) -> list[GreetingOut]:
    document = owned_document(services, caller, business_id)
    with services.database.transaction() as session:
        found = library.greetings(session, business_id)
    return [_out(services, item, _active_media(document)) for item in found]


async def _recording(request: Request, _caller: CallerDep) -> UploadFile:
    """The uploaded recording, read only once the key is known good (401 before a byte of the body)."""
    recording, _fields = await uploaded_file(request, "recording")
    return recording


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["recording"],
                "properties": {"recording": {"type": "string", "format": "binary"}},
            }
        }
    },
}


@router.post(
    "/businesses/{business_id}/greetings",
    status_code=201,
    summary="Upload a recording (normalised)",
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
def upload_greeting(
    business_id: BusinessId,
    services: ServicesDep,
    caller: CallerDep,
    recording: Annotated[UploadFile, Depends(_recording)],
    active: Annotated[
        bool, Query(description="also make it the welcome callers hear, checked as PUT …/active checks it")
    ] = False,
) -> GreetingOut:
    document = owned_document(services, caller, business_id)
    data = recording.file.read(MAX_UPLOAD_BYTES + 1)  # one byte more: an oversized file is refused, not cut
    uploaded = usecase.upload_greeting(
        services.database,
        services.media,
        business_id,
        data,
        recording.filename or "upload",
        services.clock(),
        make_welcome=active,
    )
    item = uploaded.greeting
    return _out(services, item, item.media_id if uploaded.welcome else _active_media(document))


@router.get("/businesses/{business_id}/greetings/{greeting_id}/preview", summary="The greeting as MP3")
def preview(business_id: BusinessId, greeting_id: GreetingId, services: ServicesDep, caller: CallerDep) -> Response:
    owned_document(services, caller, business_id)
    with services.database.transaction() as session:
        item = library.greeting(session, business_id, greeting_id)
    preview = services.media.read(item.media_id, "mp3")
    if preview is None:
        raise NotFoundError("this greeting's audio file is missing; upload it again")
    return Response(preview, media_type="audio/mpeg")


@router.put("/businesses/{business_id}/greetings/{greeting_id}/active", summary="Make this the welcome callers hear")
def make_active(
    business_id: BusinessId, greeting_id: GreetingId, services: ServicesDep, caller: CallerDep
) -> GreetingOut:
    owned_document(services, caller, business_id)
    item = usecase.make_welcome(services.database, business_id, greeting_id, services.clock()).greeting
    return _out(services, item, item.media_id)


@router.delete("/businesses/{business_id}/greetings/{greeting_id}", status_code=204, summary="Delete a greeting")
def delete_greeting(
    business_id: BusinessId, greeting_id: GreetingId, services: ServicesDep, caller: CallerDep
) -> Response:
    owned_document(services, caller, business_id)
    usecase.delete_greeting(services.database, business_id, greeting_id)
    return Response(status_code=204)


@router.put("/businesses/{business_id}/greetings/text", summary="Use a typed welcome, rendered as speech")
def text_greeting(
    business_id: BusinessId, body: Annotated[TextGreeting, Body()], services: ServicesDep, caller: CallerDep
) -> RenderOut:
    document = owned_document(services, caller, business_id)
    administration.change_parts(services.database, business_id, {"greeting": {"text": body.text}}, services.clock())
    report = services.speak_texts(document["numbers"][0])
    return RenderOut(rendered=len(report.rendered), problems=report.problems)


@router.get("/businesses/{business_id}/voicemails", summary="Voicemail messages, newest first, with deliveries")
def list_voicemails(
    business_id: BusinessId,
    services: ServicesDep,
    caller: CallerDep,
    unhandled: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = inbox.MESSAGES_SHOWN,
) -> list[VoicemailOut]:
    owned_document(services, caller, business_id)
    with services.database.transaction() as session:
        found = inbox.messages(session, business_id, unhandled_only=unhandled, limit=limit)
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
    caller: CallerDep,
) -> Response:
    document = owned_document(services, caller, business_id)
    with services.database.transaction() as session:
        message = inbox.message(session, business_id, recording_sid)
    return audio_response(services, message, document.get("timezone", "Europe/Amsterdam"), download=False)


@router.put(
    "/businesses/{business_id}/voicemails/{recording_sid}/handled",
    status_code=204,
    summary="Mark a voicemail as handled",
)
def mark_handled(
    business_id: BusinessId,
    recording_sid: Annotated[str, Path(max_length=64)],
    services: ServicesDep,
    caller: CallerDep,
) -> Response:
    owned_document(services, caller, business_id)
    with services.database.transaction() as session:
        library.mark_handled(session, business_id, recording_sid, services.clock())
    return Response(status_code=204)

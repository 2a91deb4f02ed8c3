"""/api/v1 greetings: upload, generate from text, list, preview, make active, delete."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from ivr.errors import NotFoundError
from ivr.store import library
from ivr.usecases import editing
from ivr.usecases import greetings as usecase
from ivr.usecases.uploads import MAX_UPLOAD_BYTES
from ivr.web.api.auth import BusinessId, CallerDep, owned_document
from ivr.web.api.errors import CHANGE_RESPONSES, ERROR_RESPONSES
from ivr.web.api.inputs import ApiInput, known_query
from ivr.web.api.revisions import ETAG_HEADER, IfMatch, with_etag
from ivr.web.bodies import uploaded_file
from ivr.web.request_session import RequestSessionDep, remember_after_commit
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/api/v1", tags=["greetings"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)])

# A change to the document: it answers the new revision in ETag, as PUT …/config does.
CHANGE: dict[int | str, dict[str, Any]] = {200: {"headers": ETAG_HEADER}, **CHANGE_RESPONSES}
GreetingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class GreetingOut(BaseModel):
    id: int
    file_name: str
    media_id: str
    duration_s: float
    active: bool
    preview_url: str
    report: dict[str, Any]


class TextGreeting(ApiInput):
    text: str = Field(min_length=1, max_length=1000, description="the welcome; {salutation} and {business} allowed")


class RenderOut(BaseModel):
    rendered: int
    problems: list[str]


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
def list_greetings(
    business_id: BusinessId, services: ServicesDep, db: RequestSessionDep, caller: CallerDep
) -> list[GreetingOut]:
    document = owned_document(db.session, caller, business_id)
    found = library.greetings(db.session, business_id)
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
    # Transactions of its own, no request session: the recording is normalised (ffmpeg) between the two.
    with services.database.transaction() as session:
        document = owned_document(session, caller, business_id)
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
def preview(
    business_id: BusinessId, greeting_id: GreetingId, services: ServicesDep, db: RequestSessionDep, caller: CallerDep
) -> Response:
    owned_document(db.session, caller, business_id)
    item = library.greeting(db.session, business_id, greeting_id)
    preview = services.media.read(item.media_id, "mp3")
    if preview is None:
        raise NotFoundError("this greeting's audio file is missing; upload it again")
    return Response(preview, media_type="audio/mpeg")


@router.put(
    "/businesses/{business_id}/greetings/{greeting_id}/active",
    summary="Make this the welcome callers hear",
    responses=CHANGE,
)
def make_active(
    business_id: BusinessId,
    greeting_id: GreetingId,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    if_revision: IfMatch,
    response: Response,
) -> GreetingOut:
    owned_document(db.session, caller, business_id)
    made = usecase.make_welcome_in(db.session, business_id, greeting_id, services.clock(), if_revision=if_revision)
    assert made.welcome is not None
    remember_after_commit(db, services.database, made.welcome.stored)
    with_etag(response, made.welcome.stored.revision)
    return _out(services, made.greeting, made.greeting.media_id)


@router.delete("/businesses/{business_id}/greetings/{greeting_id}", status_code=204, summary="Delete a greeting")
def delete_greeting(
    business_id: BusinessId, greeting_id: GreetingId, db: RequestSessionDep, caller: CallerDep
) -> Response:
    owned_document(db.session, caller, business_id)
    usecase.delete_greeting_in(db.session, business_id, greeting_id)
    return Response(status_code=204)


@router.put(
    "/businesses/{business_id}/greetings/text",
    summary="Use a typed welcome, rendered as speech",
    responses=CHANGE,
)
def text_greeting(
    business_id: BusinessId,
    body: Annotated[TextGreeting, Body()],
    services: ServicesDep,
    caller: CallerDep,
    if_revision: IfMatch,
    response: Response,
) -> RenderOut:
    # A transaction of its own, no request session: the change is committed before its texts are spoken (slow).
    with services.database.transaction() as session:
        document = owned_document(session, caller, business_id)
    welcome = {"greeting": {"text": body.text}}
    saved = editing.change_parts(services.database, business_id, welcome, services.clock(), if_revision=if_revision)
    with_etag(response, saved.stored.revision)
    report = services.speak_texts(document["numbers"][0])
    return RenderOut(rendered=len(report.rendered), problems=[str(problem) for problem in report.problems])

"""/api/v1 ready-made information messages: the library, and a template filled for a business, as text and as
speech (MP3, to hear it first or to play it on a practice's own phone system)."""

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel

from audio.errors import AudioError
from ivr.document.info_messages import ready_made
from ivr.errors import UnavailableError
from ivr.web.api.auth import BusinessId, CallerDep, owned_document
from ivr.web.api.errors import ERROR_RESPONSES
from ivr.web.api.inputs import known_query
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep
from prompts.info_templates import info_templates

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)])


class FilledTemplate(BaseModel):
    name: str
    language: str
    text: str
    findings: list[str]
    # Where the same text is spoken, as MP3 (rendered when asked for).
    mp3: str


@router.get("/info-templates", summary="Ready-made information messages: name -> language -> text")
def list_templates(caller: CallerDep) -> dict[str, dict[str, str]]:
    return info_templates()


def _filled(services: ServicesDep, document: dict[str, Any], name: str) -> tuple[str, list[str]]:
    text, findings = ready_made(document, name, services.clock().date())
    return text, [str(finding) for finding in findings]


# Declared before the text route, whose {name} would otherwise take "outbreak.mp3".
@router.get(
    "/businesses/{business_id}/info-templates/{name}.mp3",
    summary="A ready-made information message filled for this business, spoken (MP3)",
    response_class=Response,
    responses={200: {"content": {"audio/mpeg": {}}}},
)
def spoken_template(business_id: BusinessId, name: str, services: ServicesDep, caller: CallerDep) -> Response:
    from ivr.usecases.rendering import spoken_ready_made  # speech and ffmpeg: loaded when first asked for, not at start

    # A transaction of its own, no request session: none is held while the text is spoken (slow).
    with services.database.transaction() as session:
        document = owned_document(session, caller, business_id)
    try:
        mp3 = spoken_ready_made(services.settings, services.audio(), document, name, services.clock().date())
    except AudioError as error:  # no speech engine could speak it: not the business's text, the engines
        raise UnavailableError(f"the message could not be spoken: {error}; try again later") from None
    return Response(mp3, media_type="audio/mpeg", headers={"Content-Disposition": f'attachment; filename="{name}.mp3"'})


@router.get(
    "/businesses/{business_id}/info-templates/{name}",
    summary="A ready-made information message filled for this business, with the greeting checker's findings",
)
def filled_template(
    business_id: BusinessId, name: str, services: ServicesDep, db: RequestSessionDep, caller: CallerDep
) -> FilledTemplate:
    document = owned_document(db.session, caller, business_id)
    text, findings = _filled(services, document, name)
    mp3 = f"/api/v1/businesses/{business_id}/info-templates/{name}.mp3"
    return FilledTemplate(name=name, language=document.get("language", "nl"), text=text, findings=findings, mp3=mp3)

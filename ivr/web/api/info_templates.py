"""/api/v1 ready-made information messages: the library, and a template filled for a business."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from ivr.errors import InputError
from ivr.info_messages import ready_made
from ivr.web.api.auth import BusinessId, CallerDep, owned_document
from ivr.web.services import ServicesDep
from prompts.info_templates import info_templates

router = APIRouter(prefix="/api/v1", tags=["api"])


class FilledTemplate(BaseModel):
    name: str
    language: str
    text: str
    findings: list[str]


@router.get("/info-templates", summary="Ready-made information messages: name -> language -> text")
def list_templates(caller: CallerDep) -> dict[str, dict[str, str]]:
    return info_templates()


@router.get(
    "/businesses/{business_id}/info-templates/{name}",
    summary="A ready-made information message filled for this business, with the greeting checker's findings",
)
def filled_template(business_id: BusinessId, name: str, services: ServicesDep, caller: CallerDep) -> FilledTemplate:
    document = owned_document(services, caller, business_id)
    try:
        text, findings = ready_made(document, name, services.clock().date())
    except InputError as error:
        raise HTTPException(422, str(error)) from None
    return FilledTemplate(
        name=name, language=document.get("language", "nl"), text=text, findings=[str(f) for f in findings]
    )

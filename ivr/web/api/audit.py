"""/api/v1 audit trail: a business's entries, newest first, for its own key (or a platform key)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ivr.store import audit
from ivr.web.api.auth import BusinessId, CallerDep, owned_business
from ivr.web.api.errors import ERROR_RESPONSES
from ivr.web.api.inputs import known_query
from ivr.web.request_session import RequestSessionDep

router = APIRouter(prefix="/api/v1", tags=["audit"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)])


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description="a login's e-mail address, api:<key prefix>, cli or worker")
    action: str = Field(description="one of: " + ", ".join(sorted(audit.ACTIONS)))
    address: str | None = Field(description="the client's address, for an act over HTTP")
    details: dict[str, Any] = Field(description="what identifies the act (a recording id, a role); never contents")


@router.get(
    "/businesses/{business_id}/audit",
    summary="The business's audit trail, newest first; `before` (an entry's id) pages on",
)
def audit_list(
    business_id: BusinessId,
    db: RequestSessionDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> list[AuditEventOut]:
    owned_business(db.session, caller, business_id)
    return [
        AuditEventOut(id=e.id, at=e.at, actor=e.actor, action=e.action, address=e.address, details=e.details)
        for e in audit.events(db.session, business_id, limit=limit, before_id=before)
    ]

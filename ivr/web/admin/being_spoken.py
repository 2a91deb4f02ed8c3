"""/admin/speaking: whether the business's texts saved lately are still being spoken (ivr.web.speaking); a page
that answered "being spoken" asks here, waiting up to `wait_s` for the answer, then shows itself anew."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from ivr.web.admin.pages import UserDep, document_of
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(include_in_schema=False)
# Below the usual proxies' idle timeouts (60 s), so a long wait is answered rather than cut.
MAX_WAIT_S = 25.0


@router.get("/speaking")
def being_spoken(
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    wait_s: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0.0,
) -> JSONResponse:
    number = document_of(db, user)["numbers"][0]
    db.commit()  # no transaction held while waiting
    return JSONResponse({"busy": services.speaking.busy(number, wait_s)})

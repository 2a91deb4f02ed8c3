"""/api/v1 calls.csv: the call log as CSV, streamed (ivr.figures.export; its columns are in the README)."""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from ivr.document.model import DEFAULT_TIMEZONE
from ivr.figures.export import csv_chunks
from ivr.store import call_figures
from ivr.store.database import Database
from ivr.web.api.auth import BusinessId, CallerDep, owned_business
from ivr.web.api.errors import ERROR_RESPONSES
from ivr.web.api.inputs import WINDOW_TIME, in_zone, known_query
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)])

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def streamed_csv(
    database: Database,
    business_id: int,
    timezone: str,
    since: datetime | None,
    until: datetime | None,
    filename: str,
) -> StreamingResponse:
    """The response for both faces (the API and the calls page): its own connection, held while it streams."""

    def chunks() -> Iterator[str]:
        with database.reading() as connection:
            yield from csv_chunks(call_figures.stream(connection, business_id, since, until), timezone)

    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(chunks(), media_type=CSV_MEDIA_TYPE, headers=headers)


@router.get(
    "/businesses/{business_id}/calls.csv",
    summary="The call log as CSV, oldest first, times in the business's zone",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def calls_csv(
    business_id: BusinessId,
    db: RequestSessionDep,
    services: ServicesDep,
    caller: CallerDep,
    since: Annotated[datetime | None, Query(description=WINDOW_TIME)] = None,
    until: Annotated[datetime | None, Query(description=WINDOW_TIME)] = None,
) -> StreamingResponse:
    stored = owned_business(db.session, caller, business_id)
    timezone = stored.document.get("timezone", DEFAULT_TIMEZONE)
    services.call_log.flush()  # include calls still on their way to the database
    since, until = in_zone(since, timezone), in_zone(until, timezone)
    return streamed_csv(services.database, business_id, timezone, since, until, f"calls-{business_id}.csv")

"""/api/v1 routes: parse, check access, call the administration functions, answer JSON."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection
from typing_extensions import TypedDict

from ivr.callflow.end_reasons import EndReason
from ivr.callflow.ringing import MAX_RINGS, MIN_RINGS
from ivr.document.load import validate_document
from ivr.document.model import DEFAULT_TIMEZONE
from ivr.errors import ConflictError, DocumentError, InputError, Problem
from ivr.store import businesses, calls
from ivr.store.businesses import StoredBusiness
from ivr.usecases import editing
from ivr.usecases.documents import Saved, apply_in
from ivr.web.api.auth import (
    BusinessId,
    Caller,
    CallerDep,
    PresentedKeyDep,
    caller_in,
    owned_business,
    owned_document,
    owner_in,
)
from ivr.web.api.errors import CHANGE_RESPONSES, ERROR_RESPONSES
from ivr.web.api.inputs import WINDOW_TIME, ApiInput, in_zone, known_query
from ivr.web.api.revisions import ETAG_HEADER, IfMatch, with_etag
from ivr.web.preview import caller_hears
from ivr.web.request_session import RequestSessionDep, remember_after_commit
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERROR_RESPONSES, dependencies=[Depends(known_query)])
# What a GET of a document answers beside it, and what a change to it may answer.
READ: dict[int | str, dict[str, Any]] = {200: {"headers": ETAG_HEADER}}
CHANGE: dict[int | str, dict[str, Any]] = {200: {"headers": ETAG_HEADER}, **CHANGE_RESPONSES}


# Digits found in the caller's number, typed with the spaces, dashes, dots or brackets people write a number with
# (as the call log's search field takes them; ivr.store.calls finds the digits, a national 0 left off).
CALLER_DIGITS = r"^\+?\(?[0-9][0-9 ()./-]{1,24}$"


class BusinessSummary(BaseModel):
    id: int
    business: str
    numbers: list[str]
    revision: int


def _read_only() -> Any:
    return Field(
        default=None,
        description="read-only: may be sent back as GET answered it; another value is refused",
        json_schema_extra={"readOnly": True},
    )


class RingCount(ApiInput):
    """The ring count. What else GET answers may come back with it, as read or as the new count makes it (what it
    means follows from the count), so that a GET's answer can be PUT back; another value there, or any other field,
    is refused."""

    rings: int = Field(ge=MIN_RINGS, le=MAX_RINGS, description="rings before the call overflows")
    country: str | None = _read_only()
    ring_cycle_s: int | None = _read_only()
    dial_timeout_s: int | None = _read_only()
    ringing_s: int | None = _read_only()
    warnings: list[str] | None = _read_only()


# What GET …/rings answers beside the count: read-only, following from the count and the country.
MEANING_FIELDS = ("country", "ring_cycle_s", "dial_timeout_s", "ringing_s", "warnings")


class RingMeaningOut(BaseModel):
    rings: int
    country: str
    ring_cycle_s: int
    dial_timeout_s: int
    ringing_s: int
    warnings: list[str]


def _ring_meaning_out(meaning: editing.RingMeaning) -> RingMeaningOut:
    return RingMeaningOut(**{**meaning.__dict__, "warnings": [warning.message for warning in meaning.warnings]})


class SavedOut(BaseModel):
    revision: int
    warnings: list[str]


class CallOut(TypedDict):
    """A dictionary rather than a model: FastAPI checks and writes a page of them in pydantic's compiled code,
    where 50 models built in Python took a tenth of the call log's time (issue 12). `started_at` in UTC with its
    offset (ivr.store.tables.Instant)."""

    call_sid: str
    caller: str
    started_at: datetime
    path: list[str]
    outcome: str | None
    duration_s: int | None
    # What happened as it was then: the ring count its dial rang with, the voicemail box it ended in (or null).
    rings: int | None
    box: str | None
    # Made by the simulator (`greetline call`): in no summary or figure, never a message to the business.
    simulated: bool
    # Why it ended (README, "Why each call ended"; null while it goes on) and the seconds from its first ring to a
    # person (null: nobody answered, or logged before this was kept).
    end_reason: str | None
    seconds_to_person: float | None


def _refuse_new_numbers(caller: Caller, current: dict[str, Any], document: dict[str, Any]) -> None:
    """A business key keeps the numbers the platform gave it: any other number is unavailable, the same for all."""
    if caller.business_id is None:
        return
    try:
        numbers = validate_document(document).numbers
    except DocumentError:
        return  # saving reports every problem at once, the checker's findings included
    if set(numbers) - set(current["numbers"]):
        raise ConflictError(editing.NUMBER_UNAVAILABLE)


def _saved(caller: Caller, call: Callable[[], Saved]) -> tuple[SavedOut, StoredBusiness]:
    """The answer to a saved change, and the business as stored (to remember its routing once committed)."""
    try:
        saved = call()
    except ConflictError:
        if caller.business_id is None:
            raise
        # Only the platform may learn that a number belongs to some other business.
        raise ConflictError(editing.NUMBER_UNAVAILABLE) from None
    warnings = [f"{w.where}: {w.message}" for w in saved.warnings]
    return SavedOut(revision=saved.stored.revision, warnings=warnings), saved.stored


@router.get("/businesses", summary="The businesses this key may manage")
def list_businesses(services: ServicesDep, key: PresentedKeyDep) -> list[BusinessSummary]:
    # A plain read, no request session: the listings a dashboard polls are measured without BEGIN/COMMIT (issue 12).
    with services.database.reading() as connection:
        found = businesses.visible_to(connection, caller_in(connection, key).business_id)
    return [
        BusinessSummary(id=b.id, business=b.document["business"], numbers=b.document["numbers"], revision=b.revision)
        for b in found
    ]


@router.get("/businesses/{business_id}/config", summary="The whole business document", responses=READ)
def get_config(business_id: BusinessId, db: RequestSessionDep, caller: CallerDep, response: Response) -> dict[str, Any]:
    stored = owned_business(db.session, caller, business_id)
    with_etag(response, stored.revision)
    return stored.document


@router.put("/businesses/{business_id}/config", summary="Replace the whole business document", responses=CHANGE)
def put_config(
    business_id: BusinessId,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    document: Annotated[dict[str, Any], Body()],
    if_revision: IfMatch,
    response: Response,
) -> SavedOut:
    _refuse_new_numbers(caller, owned_document(db.session, caller, business_id), document)
    now = datetime.now(UTC)
    out, stored = _saved(
        caller, lambda: apply_in(db.session, document, now, business_id=business_id, if_revision=if_revision)
    )
    remember_after_commit(db, services.database, stored)
    with_etag(response, stored.revision)
    return out


@router.patch(
    "/businesses/{business_id}/config",
    summary="Change parts: rings, operators, overflow, hours, periods",
    responses=CHANGE,
)
def patch_config(
    business_id: BusinessId,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    parts: Annotated[dict[str, Any], Body()],
    if_revision: IfMatch,
    response: Response,
) -> SavedOut:
    owned_document(db.session, caller, business_id)
    now = datetime.now(UTC)
    out, stored = _saved(
        caller, lambda: editing.change_parts_in(db.session, business_id, parts, now, if_revision=if_revision)
    )
    remember_after_commit(db, services.database, stored)
    with_etag(response, stored.revision)
    return out


def _refuse_own_meaning(body: RingCount, current: dict[str, Any]) -> None:
    """What the count means may come back as GET answered it, or as the new count makes it; any other value would be
    ignored (a client sending `dial_timeout_s: 30` believes it set it), so it is refused: only `rings` is set here."""
    read = _ring_meaning_out(editing.ring_meaning(validate_document(current)))
    new = _ring_meaning_out(editing.ring_meaning(validate_document({**current, "rings": body.rings})))
    problems = [
        Problem(
            "read_only",
            name,
            f"follows from rings and cannot be set: with {new.rings} rings it is {getattr(new, name)!r}; leave it out",
            {"value": str(sent)[:40]},
        )
        for name in MEANING_FIELDS
        if (sent := getattr(body, name)) is not None and sent not in (getattr(read, name), getattr(new, name))
    ]
    if problems:
        raise InputError("nothing was changed; only rings can be set here", problems)


@router.put("/businesses/{business_id}/rings", summary="Set the ring count; answers what it means", responses=CHANGE)
def put_rings(
    business_id: BusinessId,
    body: RingCount,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    if_revision: IfMatch,
    response: Response,
) -> RingMeaningOut:
    current = owned_document(db.session, caller, business_id)
    _refuse_own_meaning(body, current)
    now = datetime.now(UTC)
    rings = {"rings": body.rings}
    _, stored = _saved(
        caller, lambda: editing.change_parts_in(db.session, business_id, rings, now, if_revision=if_revision)
    )
    remember_after_commit(db, services.database, stored)
    with_etag(response, stored.revision)
    return _ring_meaning_out(editing.ring_meaning(validate_document(stored.document)))


@router.get("/businesses/{business_id}/rings", summary="The ring count and what it means", responses=READ)
def get_rings(business_id: BusinessId, db: RequestSessionDep, caller: CallerDep, response: Response) -> RingMeaningOut:
    stored = owned_business(db.session, caller, business_id)
    with_etag(response, stored.revision)
    return _ring_meaning_out(editing.ring_meaning(validate_document(stored.document)))


def _timezone_of(connection: Connection, business_id: int) -> str:
    (stored,) = businesses.documents_of(connection, [business_id])
    timezone = stored.document.get("timezone", DEFAULT_TIMEZONE)
    return timezone if isinstance(timezone, str) else DEFAULT_TIMEZONE


@router.get("/businesses/{business_id}/calls", summary="The call log, newest first")
def list_calls(
    business_id: BusinessId,
    services: ServicesDep,
    key: PresentedKeyDep,
    since: Annotated[datetime | None, Query(description=WINDOW_TIME)] = None,
    until: Annotated[datetime | None, Query(description=WINDOW_TIME)] = None,
    outcome: Literal[
        "operator", "overflow", "voicemail", "closed", "missed", "hung up", "fallback", "callback", "blocked"
    ]
    | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    caller: Annotated[
        str | None,
        Query(
            pattern=CALLER_DIGITS,
            description='digits of the caller\'s number, written as people write it: "06 1234 5678", "+31 6 1234"',
        ),
    ] = None,
    end_reason: EndReason | None = None,
) -> list[CallOut]:
    # Two statements on one connection without a transaction: the key with the business's existence, then the page.
    # On PostgreSQL each BEGIN, COMMIT and statement is a round trip (issue 12).
    with services.database.reading() as connection:
        owner_in(connection, key, business_id)
        if any(moment is not None and moment.tzinfo is None for moment in (since, until)):
            timezone = _timezone_of(connection, business_id)  # a third statement, only for a time without a zone
            since, until = in_zone(since, timezone), in_zone(until, timezone)
        services.call_log.flush()  # include calls still on their way to the database
        logged = calls.recent(
            connection,
            business_id,
            limit=limit,
            since=since,
            until=until,
            outcome=outcome,
            with_simulated=True,
            caller=caller,
            reason=end_reason.value if end_reason else None,
        )
    return [
        CallOut(
            call_sid=c.call_sid,
            caller=c.from_number,
            started_at=c.started_at,
            path=c.path,
            outcome=c.outcome,
            duration_s=c.duration_s,
            rings=c.rings,
            box=c.box,
            simulated=c.simulated,
            end_reason=c.end_reason,
            seconds_to_person=c.person_s,
        )
        for c in logged
    ]


class HeardOut(BaseModel):
    to_number: str
    events: list[dict[str, Any]]
    human_after_s: float | None
    answered_by: str | None


@router.get("/businesses/{business_id}/hears", summary="What a caller hears at a given local time (the simulator)")
def hears(
    business_id: BusinessId,
    services: ServicesDep,
    db: RequestSessionDep,
    caller: CallerDep,
    at: Annotated[
        datetime | None,
        Query(description="a time with a zone, or the local time at the business without one; default now"),
    ] = None,
    press: Annotated[str, Query(max_length=4, pattern=r"^[0-9*#]*$")] = "",
) -> HeardOut:
    document = owned_document(db.session, caller, business_id)
    transcript = caller_hears(services, db.session, document, at or services.clock(), press)
    return HeardOut(
        to_number=transcript.to_number,
        events=[event.__dict__ for event in transcript.events],
        human_after_s=transcript.human_after_s,
        answered_by=transcript.answered_by,
    )

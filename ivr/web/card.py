"""The answering service's card: a page at a secret URL (phone width, in the business's language) with a form
for call notes, and the same as JSON for the service's own software.

Any token that opens no card (wrong, rotated, malformed) is answered exactly as an unknown address is: 404,
"Not Found" (ivr.web.api.errors), nothing about whether a card ever existed.
"""

import hmac
import secrets
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ivr.card.notes import WINDOW_S, check_note, may_send, unknown_fields
from ivr.card.view import CardView, card_json, card_view
from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.errors import InputError, NotFoundError, Problem
from ivr.messages.call_notes import take_note
from ivr.messages.notes import SUMMARY_MAX_CALLS, local_day_bounds
from ivr.messages.outbox import message_domain
from ivr.store import businesses, calendars, callbacks, calls, cards
from ivr.web.admin.calendar_words import calendar_words
from ivr.web.admin.i18n import translations
from ivr.web.admin.templating import templates
from ivr.web.api.errors import CARD_RESPONSES, documented, unreadable_body
from ivr.web.services import Services, ServicesDep

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1/card", tags=["answering service"], responses=CARD_RESPONSES)

# The card's URL is its key: keep it out of Referer headers, caches and search engines.
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
CSRF_FIELD = "csrf"
_CSRF_SESSION_KEY = "card_csrf"


def _not_found() -> HTTPException:
    # Not the error answers' 404, which would say why (the NotFoundError's words): a card's URL is its secret, and a
    # wrong one learns nothing, not even which part was wrong.
    return HTTPException(404, "Not Found")


def _open(services: Services, token: str) -> tuple[int, BusinessDocument, CardView]:
    """In a worker thread: the card's business, its document and what the card shows now."""
    try:
        with services.database.transaction() as session:
            business_id = cards.business_of(session, token)
    except NotFoundError:
        raise _not_found() from None
    return open_card(services, business_id)


def open_card(services: Services, business_id: int) -> tuple[int, BusinessDocument, CardView]:
    """In a worker thread: a business's document and what its card shows now (by its secret URL or, for an answering
    service's login, ivr.web.admin.cards)."""
    now = services.clock()
    try:
        with services.database.transaction() as session:
            document = validate_document(businesses.get(session, business_id).document)
            start, end = local_day_bounds(now.astimezone(ZoneInfo(document.timezone)).date(), document.timezone)
            logged = calls.recent(session.connection(), business_id, limit=SUMMARY_MAX_CALLS, since=start, until=end)
            waiting = callbacks.listed(session, business_id, open_only=True)
            copy = calendars.copy_of(session, business_id, document.calendar.ics) if document.calendar else None
    except NotFoundError:
        raise _not_found() from None
    open_callbacks = tuple((found.created_at, found.caller_number) for found in waiting)
    return business_id, document, card_view(document, logged, now, open_callbacks, copy)


def send_allowed(services: Services, business_id: int) -> bool:
    """In a worker thread: the card's note limit, counted in the database (every replica sees the same count)."""
    with services.database.transaction() as session:
        sent = cards.notes_since(session, business_id, services.clock() - timedelta(seconds=WINDOW_S))
    return may_send(sent)


def _csrf(request: Request) -> str:
    token: str = request.session.setdefault(_CSRF_SESSION_KEY, secrets.token_urlsafe(24))
    return token


def card_context(
    view: CardView,
    language: str,
    csrf: str,
    *,
    typed: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """What card.html's sections and note form are drawn from, for the card's page (in the business's language)
    and the console's card (in the login's): `typed` is the form as sent, `notice` what became of it."""
    words = translations(language)
    calendar = (
        None if view.calendar is None else calendar_words(words, view.calendar, view.day, view.timezone, language)
    )
    return {
        "words": words,
        "calendar": calendar,
        "lang": language,
        "country": view.country,
        "timezone": view.timezone,
        "view": view,
        "csrf": csrf,
        "typed": typed or {},
        "problems": {problem.where: problem.code for problem in problems or []},
        "notice": notice,
    }


def card_page_for(
    request: Request,
    view: CardView,
    action: str,
    *,
    status_code: int = 200,
    typed: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    notice: str | None = None,
) -> Response:
    context = card_context(view, view.language, _csrf(request), typed=typed, problems=problems, notice=notice)
    context["action"] = action
    response = templates().TemplateResponse(request, "card.html", context, status_code=status_code)
    response.headers.update(PRIVATE_HEADERS)
    return response


@router.get("/card/{token}")
async def card_page(request: Request, services: ServicesDep, token: str, sent: str = "") -> Response:
    _business_id, _document, view = await run_in_threadpool(_open, services, token)
    return card_page_for(request, view, f"/card/{token}", notice="sent" if sent else None)


@router.post("/card/{token}")
async def post_note(request: Request, services: ServicesDep, token: str) -> Response:
    opened = await run_in_threadpool(_open, services, token)
    return await note_from_form(request, services, opened, f"/card/{token}")


async def note_from_form(
    request: Request, services: Services, opened: tuple[int, BusinessDocument, CardView], action: str
) -> Response:
    """The card's form posted to `action`: the note taken, or the card again with why not."""
    business_id, document, view = opened
    form = await request.form(max_files=0, max_fields=8)
    typed = {name: str(form.get(name) or "") for name in ("caller_name", "caller_number", "message", "urgent")}
    expected = request.session.get(_CSRF_SESSION_KEY, "")
    if not expected or not hmac.compare_digest(str(form.get(CSRF_FIELD) or ""), expected):
        return card_page_for(request, view, action, status_code=403, typed=typed, notice="expired")
    note, problems = check_note(typed, document.country)
    if note is None:
        return card_page_for(request, view, action, status_code=422, typed=typed, problems=problems)
    if not view.takes_notes:
        return card_page_for(request, view, action, status_code=409, typed=typed, notice="no_notes")
    if not await run_in_threadpool(send_allowed, services, business_id):
        return card_page_for(request, view, action, status_code=429, typed=typed, notice="too_many")
    domain = message_domain(services.settings.public_url)
    await run_in_threadpool(take_note, services.database, business_id, note, services.clock(), domain)
    services.jobs_waiting()
    # After a POST, a GET: reloading the page does not send the note twice.
    return RedirectResponse(f"{action}?sent=1", status_code=303, headers=PRIVATE_HEADERS)


@api_router.get("/{token}", summary="The answering service's card: the instructions in force and today's calls")
async def card_data(services: ServicesDep, token: str) -> JSONResponse:
    _business_id, _document, view = await run_in_threadpool(_open, services, token)
    return JSONResponse(card_json(view), headers=PRIVATE_HEADERS)


@api_router.post(
    "/{token}",
    status_code=201,
    summary="A call note from the answering service, delivered like a voicemail message",
    responses={
        409: documented("This business takes no call notes (its overflow has no notes:)"),
        415: documented("The note was not sent as JSON"),
        429: documented("Too many notes from this card in a few minutes"),
    },
)
async def card_note(request: Request, services: ServicesDep, token: str) -> JSONResponse:
    business_id, document, view = await run_in_threadpool(_open, services, token)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, "send the note as JSON (Content-Type: application/json)")
    try:
        body = await request.json()
    except ValueError as error:
        problem = unreadable_body(str(error).split(":")[0])  # json's reason, without the line and column
        raise InputError(problem.message, [problem]) from None
    if not isinstance(body, dict):
        raise HTTPException(422, "send a JSON object: {caller_name, caller_number, message, urgent}")
    note, problems = check_note(body, document.country)
    problems += unknown_fields(body)
    if note is None or problems:
        raise InputError("the note was not taken; fix these problems", problems)
    if not view.takes_notes:
        raise HTTPException(409, "this business's overflow has no notes: {email: [...]}; ask the business to add it")
    if not await run_in_threadpool(send_allowed, services, business_id):
        raise HTTPException(429, "too many notes from this card; wait a few minutes and send again")
    domain = message_domain(services.settings.public_url)
    stored, deliveries = await run_in_threadpool(
        take_note, services.database, business_id, note, services.clock(), domain
    )
    services.jobs_waiting()
    return JSONResponse(
        {"note_id": stored.note_id, "urgent": stored.urgent, "deliveries": deliveries},
        status_code=201,
        headers=PRIVATE_HEADERS,
    )

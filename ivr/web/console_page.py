"""/console: the answering service's console (issue 26). A login in the `answering` role sees the businesses it
serves; the moment a call is put through to the service (the whisper webhook ran for it, on any replica), that
business's card pops up on top, with the caller, their day and a note form tied to the call.

The page listens to /console/events (Server-Sent Events, ivr.console.stream) and fetches each popped card from
/console/cards/{business}?call=…, rendered in the page's language from the card's own view (ivr.card.view) and the
card's own sections (card.html's `sections` block), so whatever the card shows, the console shows. A note is
checked, limited, stored and delivered exactly as the card's (ivr.web.card), tied to its call; a call that is not
this business's is refused. A business the login does not serve answers 404, as if it did not exist.
"""

import asyncio
import logging
import secrets
import time
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response, StreamingResponse
from markupsafe import Markup
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from ivr.callflow.whisper import CallerRoute
from ivr.card.notes import check_note
from ivr.card.view import CardView, EarlierContact, with_caller
from ivr.console import stream
from ivr.document.model import BusinessDocument
from ivr.errors import Problem
from ivr.messages.call_notes import take_note
from ivr.messages.notes import SUMMARY_MAX_CALLS, local_day_bounds
from ivr.messages.outbox import message_domain
from ivr.store import businesses, calls, cards, console_events, voicemails
from ivr.store.console_events import PutThrough
from ivr.web.admin import pages, wording
from ivr.web.admin.cards import served_by, serves
from ivr.web.admin.i18n import LANGUAGES, translations
from ivr.web.admin.pages import UserDep
from ivr.web.admin.templating import templates
from ivr.web.card import PRIVATE_HEADERS, card_context, open_card, send_allowed
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import Services, ServicesDep

log = logging.getLogger(__name__)
router = APIRouter(prefix="/console", include_in_schema=False)
BusinessId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# A call's SID as Twilio writes it (34 characters) or the simulator's; anything longer is no call of ours.
MAX_CALL_SID_CHARS = 64
# A stream ends after this and the browser reconnects at once (Last-Event-ID): a login ended meanwhile is noticed.
MAX_STREAM_S = 3600.0


@router.get("")
def console(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    served = [(b, businesses.get(db.session, b).document["business"]) for b in served_by(user)]
    lang = pages.language(request)
    context = {
        "words": translations(lang),
        "lang": lang,
        "languages": [(code, wording.language_name(code)) for code in LANGUAGES],
        "served": served,
        # The stream starts after the newest event when the page was made: nothing between the two is lost.
        "after": console_events.newest_id(db.session.connection()),
        "csrf": pages.csrf_token(request),
        "email": user.email,
    }
    response = templates().TemplateResponse(request, "console.html", context)
    response.headers.update(PRIVATE_HEADERS)
    if served:
        response.background = BackgroundTask(_warm, request, services, served[0][0])
    return response


def _warm(request: Request, services: Services, business_id: int) -> None:
    """After the console page is sent, a card is made once and thrown away: the first pop-up then does not pay for
    compiling the card's templates and loading number and date formats (measured on a loaded machine: the first
    pop-up 0.3-0.8 s after the call was put through, later ones 0.1 s)."""
    _id, _document, view = open_card(services, business_id)
    _card(request, view, business_id)


@router.get("/events")
async def events(request: Request, services: ServicesDep, user: UserDep, after: str | None = None) -> Response:
    feed = services.console
    if feed is None:
        raise HTTPException(404)
    served = frozenset(served_by(user))
    start = stream.resume_after(request.headers.get("last-event-id"), after)
    if start is None:
        start = await run_in_threadpool(feed.newest_id)
    # Set by the server's protocol when it shuts down (ivr.web.serving): the stream ends, the server is not held.
    stop = asyncio.Event()
    request.scope[stream.STREAM_STOP] = stop

    async def sent() -> Any:
        last, ends = start, time.monotonic() + MAX_STREAM_S
        yield stream.opening()
        while time.monotonic() < ends:
            found = await feed.next_events(last, served, stream.KEEPALIVE_S, stop)
            if found is None:
                return
            if not found:
                yield stream.keepalive()
            for event in stream.for_login(found, served):
                yield stream.framed(event)
                last = event.id

    headers = {**PRIVATE_HEADERS, "X-Accel-Buffering": "no"}  # a proxy must pass each event on at once
    return StreamingResponse(sent(), media_type="text/event-stream", headers=headers)


def _call_of(services: Services, business_id: int, call_sid: str) -> PutThrough | None:
    """In a worker thread: the event of a call put through to this business's service; None for any other call."""
    if not call_sid or len(call_sid) > MAX_CALL_SID_CHARS:
        return None
    with services.database.reading() as connection:
        found = console_events.put_through(connection, call_sid)
    return found if found is not None and found.business_id == business_id else None


def _earlier(
    services: Services, business_id: int, document: BusinessDocument, event: PutThrough, now: datetime
) -> list[EarlierContact]:
    """In a worker thread: the caller's other calls, voicemails and notes of the business's day."""
    if not event.caller:
        return []
    start, end = local_day_bounds(now.astimezone(ZoneInfo(document.timezone)).date(), document.timezone)
    with services.database.transaction() as session:
        logged = calls.recent(
            session.connection(), business_id, limit=SUMMARY_MAX_CALLS, since=start, until=end, caller=event.caller
        )
        messages = voicemails.from_caller(session, business_id, event.caller, start, end)
        notes = cards.notes(session, business_id, since=start, until=end)
    found = [
        EarlierContact(call.started_at, "call", call.outcome or "")
        for call in logged
        if call.from_number == event.caller and call.call_sid != event.call_sid
    ]
    found += [EarlierContact(message.received_at, "voicemail", message.transcript or "") for message in messages]
    found += [EarlierContact(n.created_at, "note", n.message) for n in notes if n.caller_number == event.caller]
    return found


Opened = tuple[BusinessDocument, CardView, PutThrough | None]


def _opened(services: Services, business_id: int, call_sid: str) -> Opened:
    """In a worker thread: the card, with the call's caller when `call_sid` names one put through to this business."""
    _id, document, view = open_card(services, business_id)
    event = _call_of(services, business_id, call_sid)
    if event is None:
        return document, view, None
    route = CallerRoute.from_params({"via": event.via, "key": event.key})
    earlier = _earlier(services, business_id, document, event, services.clock())
    return document, with_caller(view, document, event.call_sid, event.caller, route, earlier), event


def _card(
    request: Request,
    view: CardView,
    business_id: int,
    *,
    status_code: int = 200,
    typed: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    notice: str | None = None,
) -> Response:
    csrf = pages.csrf_token(request)
    context = card_context(view, pages.language(request), csrf, typed=typed, problems=problems, notice=notice)
    context["business_id"] = business_id
    card = templates().env.get_template("card.html")
    context["sections"] = Markup("".join(card.blocks["sections"](card.new_context(context))))
    response = templates().TemplateResponse(request, "console_card.html", context, status_code=status_code)
    response.headers.update(PRIVATE_HEADERS)
    return response


@router.get("/cards/{business_id}")
async def console_card(
    request: Request, services: ServicesDep, user: UserDep, business_id: BusinessId, call: str = ""
) -> Response:
    serves(user, business_id)
    _document, view, event = await run_in_threadpool(_opened, services, business_id, call)
    if call and event is None:  # another business's call, or none: nothing about it is shown
        raise HTTPException(404)
    return _card(request, view, business_id)


@router.post("/cards/{business_id}")
async def console_note(request: Request, services: ServicesDep, user: UserDep, business_id: BusinessId) -> Response:
    """The note form of a popped card: answered with the card again, saying it was sent or why not."""
    serves(user, business_id)
    form = await request.form(max_files=0, max_fields=8)
    call = str(form.get("call") or "")
    document, view, event = await run_in_threadpool(_opened, services, business_id, call)
    if event is None:
        log.warning("refused a console note of %s: call %r is not business %s's", user.email, call[:64], business_id)
        raise HTTPException(404)
    typed = {name: str(form.get(name) or "") for name in ("caller_name", "caller_number", "message", "urgent")}
    expected = str(request.session.get("csrf") or "")
    if not expected or not secrets.compare_digest(str(form.get("csrf") or ""), expected):
        return _card(request, view, business_id, status_code=403, typed=typed, notice="expired")
    note, problems = check_note(typed, document.country)
    if note is None:
        return _card(request, view, business_id, status_code=422, typed=typed, problems=problems)
    if not view.takes_notes:
        return _card(request, view, business_id, status_code=409, typed=typed, notice="no_notes")
    if not await run_in_threadpool(send_allowed, services, business_id):
        return _card(request, view, business_id, status_code=429, typed=typed, notice="too_many")
    domain = message_domain(services.settings.public_url)
    await run_in_threadpool(take_note, services.database, business_id, note, services.clock(), domain, event.call_sid)
    services.jobs_waiting()
    return _card(request, view, business_id, notice="sent")

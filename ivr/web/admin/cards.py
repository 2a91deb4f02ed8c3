"""/admin/cards: an answering service's login opens the card of each business it serves, without the secret URL
(which stays for the service's software). A business the login does not serve is a 404, as if it did not exist."""

import logging
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ivr.roles import opens_card
from ivr.store import businesses
from ivr.store.staff import StaffUser
from ivr.web.admin.pages import UserDep, page, words
from ivr.web.card import card_page_for, note_from_form, open_card
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

log = logging.getLogger(__name__)
router = APIRouter(prefix="/cards", include_in_schema=False)
BusinessId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def served_by(user: StaffUser) -> list[int]:
    """The businesses whose card this login opens, here and on its console (ivr.web.console_page)."""
    return [m.business_id for m in user.memberships if opens_card(m.role)]


def serves(user: StaffUser, business_id: int) -> None:
    """A business the login does not serve is a 404, as if it did not exist; the refusal is logged."""
    if business_id not in served_by(user):
        log.warning("refused the card of business %s to %s: it does not serve it", business_id, user.email)
        raise HTTPException(404)


@router.get("")
def served_cards(request: Request, db: RequestSessionDep, user: UserDep) -> Response:
    names = [(b, businesses.get(db.session, b).document["business"]) for b in served_by(user)]
    return page(request, "cards.html", "cards", user=user, served=names, page_title=words(request).gettext("Cards"))


@router.get("/{business_id}")
async def served_card(
    request: Request, services: ServicesDep, user: UserDep, business_id: BusinessId, sent: str = ""
) -> Response:
    serves(user, business_id)
    _id, _document, view = await run_in_threadpool(open_card, services, business_id)
    return card_page_for(request, view, f"/admin/cards/{business_id}", notice="sent" if sent else None)


@router.post("/{business_id}")
async def served_card_note(request: Request, services: ServicesDep, user: UserDep, business_id: BusinessId) -> Response:
    serves(user, business_id)
    opened = await run_in_threadpool(open_card, services, business_id)
    return await note_from_form(request, services, opened, f"/admin/cards/{business_id}")

"""The calendar feed of open callback requests at its secret URL; a wrong or rotated URL is 404 like any unknown
address (saying nothing of why)."""

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from ivr.document.load import validate_document
from ivr.errors import NotFoundError
from ivr.messages.callback_feed import callbacks_calendar
from ivr.messages.outbox import message_domain
from ivr.store import businesses, callbacks
from ivr.web.services import ServicesDep

router = APIRouter(include_in_schema=False)
# The most requests a feed lists: the open ones, newest first; a business with more has a backlog, not a calendar.
MAX_FEED_REQUESTS = 500


@router.get("/callbacks/{token}.ics")
def callbacks_feed(token: str, services: ServicesDep) -> Response:
    now = services.clock()
    try:
        with services.database.transaction() as session:
            business_id = callbacks.business_of_feed(session, token)
            document = validate_document(businesses.get(session, business_id).document)
            found = callbacks.listed(session, business_id, open_only=True, limit=MAX_FEED_REQUESTS)
    except NotFoundError:
        raise HTTPException(404, "Not Found") from None
    domain = message_domain(services.settings.public_url)
    calendar = callbacks_calendar(document.business, document.language, document.country, found, domain, now)
    # Calendars poll the feed; a proxy must not keep an old list, nor anyone's copy of it.
    headers = {"Cache-Control": "private, no-store"}
    return Response(calendar, media_type="text/calendar; charset=utf-8", headers=headers)

"""Twilio's recording status callback: the message left and its deliveries are stored before we answer 2xx.

This is not a voice webhook, so it does not go through the voice fallback's 200: if the message cannot be
stored, the answer is 503 and the message can come again (Twilio's retry, or the reconciler). A callback
that is malformed, names another host's recording, or an unknown business or box is refused with 400.
The <Record> action (/twilio/recorded) takes the same message in but is a voice webhook; see twilio_hooks.
"""

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.datastructures import FormData

from ivr.callflow.model import Voicemail, voicemail_boxes
from ivr.document.phones import caller_id
from ivr.errors import InputError
from ivr.messages.demo_recording import at_the_calls_time, demo_inbox
from ivr.messages.intake import take_in
from ivr.messages.outbox import CALL_SID, RECORDING_SID, LeftMessage, message_domain
from ivr.messages.transcription import transcribe_wait_s
from ivr.simulator import SIMULATED_CALL_FIELD, is_simulated
from ivr.web.services import Services, ServicesDep
from ivr.web.signature import TwilioForm

log = logging.getLogger("greetline.messages")

# Twilio's RecordingStatus values (Twilio docs, "recordingStatusCallback"); only a completed one has audio.
COMPLETED = "completed"


class CallbackRoute(APIRoute):
    """Failures inside answer 503, so Twilio (or the reconciler) delivers the callback again."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def stored_or_503(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException:
                raise
            except Exception:
                log.exception("callback %s could not be stored; answering 503 so it comes again", request.url.path)
                return JSONResponse({"detail": "could not store the message now; send it again"}, status_code=503)

        return stored_or_503


router = APIRouter(prefix="/twilio", route_class=CallbackRoute, tags=["twilio"])


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _same_origin(url: str, api_url: str) -> bool:
    found, allowed = urlsplit(url), urlsplit(api_url)
    return (found.scheme, found.netloc) == (allowed.scheme, allowed.netloc)


@dataclass(frozen=True)
class RecordingQuery:
    """What the recording webhooks' URLs carry (ivr.callflow.flow), signed by Twilio with the rest of the URL: the
    business and box the message is for, the route that led there and the ring count then."""

    business: str
    box: str
    route: tuple[str, ...]
    rings: int | None


# A route is a few labels of at most a holiday's name each; anything longer was not written by us.
MAX_ROUTE_LABELS = 8
MAX_ROUTE_LABEL_CHARS = 120


def _recording_query(
    business: str = "",
    box: str = "",
    route: Annotated[list[str] | None, Query(description="the path labels that led to the box")] = None,
    rings: Annotated[str, Query(description="the ring count when a dial went unanswered")] = "",
) -> RecordingQuery:
    labels = tuple(label[:MAX_ROUTE_LABEL_CHARS] for label in (route or [])[:MAX_ROUTE_LABELS])
    count = int(rings) if rings.isdigit() and len(rings) <= 2 else None
    return RecordingQuery(business, box, labels, count)


RecordingQueryDep = Annotated[RecordingQuery, Depends(_recording_query)]


def recording_start(form: FormData) -> datetime | None:
    """Twilio's RecordingStartTime (RFC 2822): when the caller began the message; None when absent or unreadable."""
    text = _field(form, "RecordingStartTime")
    try:
        moment = parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError):
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def left_message(services: Services, form: FormData, query: RecordingQuery) -> tuple[LeftMessage, Voicemail]:
    """The message a recording webhook describes, and the box it is for; InputError says what is wrong."""
    business, box = query.business, query.box
    recording_sid, call_sid, url = _field(form, "RecordingSid"), _field(form, "CallSid"), _field(form, "RecordingUrl")
    if not RECORDING_SID.match(recording_sid):
        raise InputError(f"RecordingSid must be RE followed by 32 hex digits, got {recording_sid[:40]!r}")
    if not CALL_SID.match(call_sid):
        raise InputError(f"CallSid must be CA followed by 32 hex digits, got {call_sid[:40]!r}")
    api_url = services.settings.twilio_api_url
    if not _same_origin(url, api_url):
        log.warning("refused recording %s: its RecordingUrl %r is not on %s", recording_sid, url[:200], api_url)
        raise InputError(f"RecordingUrl must be on {api_url} (GREETLINE_TWILIO_API_URL); it is never fetched")
    if not business.isdigit() or len(business) > 9:
        raise InputError(f"the business= query parameter must be a business id, got {business[:20]!r}")
    with services.database.reading() as connection:
        found = services.directory.lookup_by_id(connection, int(business), services.clock())
    if found is None:
        raise InputError(f"no business with id {business}; was it deleted?")
    boxes = voicemail_boxes(found)
    if box not in boxes:
        known = ", ".join(sorted(boxes)) or "none"
        raise InputError(f"business {business} has no voicemail box {box[:40]!r} (it has: {known})")
    duration = _field(form, "RecordingDuration")
    from_number = caller_id(_field(form, "From")) or None
    message = LeftMessage(
        recording_sid,
        call_sid,
        found.id,
        box,
        url,
        int(duration) if duration.isdigit() else None,
        from_number,
        route=query.route,
        rings=query.rings,
        started_at=recording_start(form),
    )
    return message, boxes[box]


def store_message(
    services: Services, form: FormData, message: LeftMessage, box: Voicemail, *, at_its_end: bool = False
) -> bool:
    """Take the message and its deliveries in; a simulated call's are printed instead, and nothing is stored,
    except in development mode with nothing that could send (ivr.messages.demo_recording): there it goes into the
    inbox like a real one, with a spoken sample as its recording, and its deliveries are printed by the console
    senders. `at_its_end`: the request came as the recording ended (the <Record> action), so a message without
    Twilio's start time began its length before now."""
    settings = services.settings
    if is_simulated(form.get(SIMULATED_CALL_FIELD)):
        if not demo_inbox(settings):
            services.call_log.flush()  # the e-mail tells the call's route from the log
            services.simulated_messages.voicemail(message, box, services.clock())
            return True
        services.simulated_messages.remember(message)  # its end prints no missed-call note
        services.call_log.flush()  # its time is the call's, which the log holds
        message = at_the_calls_time(services.database, message)
    if at_its_end and message.started_at is None and message.duration_s is not None:
        # The <Record> action (/twilio/recorded, usually first) says no RecordingStartTime: it comes as the message
        # ends, so the message began its length before now (one begun at 16:59 belongs to that day, not the next).
        message = replace(message, started_at=services.clock() - timedelta(seconds=message.duration_s))
    domain = message_domain(settings.public_url)
    new = take_in(services.database, message, box, domain, services.clock(), transcribe_wait_s(settings))
    if new:
        services.jobs_waiting()
    return new


@router.post("/recording", summary="Twilio's recording status callback: store the message and its deliveries")
def recording(form: TwilioForm, services: ServicesDep, query: RecordingQueryDep) -> Response:
    status = _field(form, "RecordingStatus") or COMPLETED
    try:
        message, found_box = left_message(services, form, query)
    except InputError as error:
        raise HTTPException(400, str(error)) from None
    if status != COMPLETED:  # absent (silence) or failed: no audio to deliver; the call counts as missed
        log.info("recording %s ended %s; nothing to deliver", message.recording_sid, status)
        return Response(status_code=204)
    new = store_message(services, form, message, found_box)
    return Response(status_code=201 if new else 200)

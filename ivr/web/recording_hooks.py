"""Twilio's recording status callback: the message left and its deliveries are stored before we answer 2xx.

This is not a voice webhook, so it does not go through the voice fallback's 200: if the message cannot be
stored, the answer is 503 and the message can come again (Twilio's retry, or the reconciler). A callback
that is malformed, names another host's recording, or an unknown business or box is refused with 400.
The <Record> action (/twilio/recorded) takes the same message in but is a voice webhook; see twilio_hooks.
"""

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.datastructures import FormData

from ivr.callflow.model import Voicemail, voicemail_boxes
from ivr.errors import InputError
from ivr.messages.intake import take_in
from ivr.messages.outbox import CALL_SID, RECORDING_SID, LeftMessage, message_domain
from ivr.messages.transcription import transcribe_wait_s
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


def left_message(services: Services, form: FormData, business: str, box: str) -> tuple[LeftMessage, Voicemail]:
    """The message a recording webhook describes, and the box it is for; InputError says what is wrong."""
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
    from_number = _field(form, "From") or None
    message = LeftMessage(
        recording_sid, call_sid, found.id, box, url, int(duration) if duration.isdigit() else None, from_number
    )
    return message, boxes[box]


def store_message(services: Services, message: LeftMessage, box: Voicemail) -> bool:
    settings = services.settings
    domain = message_domain(settings.public_url)
    new = take_in(services.database, message, box, domain, services.clock(), transcribe_wait_s(settings))
    if new:
        services.jobs_waiting()
    return new


@router.post("/recording", summary="Twilio's recording status callback: store the message and its deliveries")
def recording(form: TwilioForm, services: ServicesDep, business: str = "", box: str = "") -> Response:
    status = _field(form, "RecordingStatus") or COMPLETED
    try:
        message, found_box = left_message(services, form, business, box)
    except InputError as error:
        raise HTTPException(400, str(error)) from None
    if status != COMPLETED:  # absent (silence) or failed: no audio to deliver; the call counts as missed
        log.info("recording %s ended %s; nothing to deliver", message.recording_sid, status)
        return Response(status_code=204)
    new = store_message(services, message, found_box)
    return Response(status_code=201 if new else 200)

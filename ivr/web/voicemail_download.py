"""Serving a voicemail's recording to whoever the route has already let in: the business's own staff (the admin
inbox) or its API key. Never under /media, and never kept in a shared cache: at a GP practice it is medical data."""

from datetime import datetime

from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.messages.compose import audio_file_name
from ivr.messages.inbox import InboxMessage
from ivr.store import audit
from ivr.web.services import Services

# Private: a browser may keep it for this visit, no shared cache (a proxy, a practice's gateway) ever may.
PRIVATE_AUDIO = "private, no-store"


def audio_response(services: Services, message: InboxMessage, timezone: str, download: bool) -> Response:
    """Our copy of a message's recording; 404 while it is not stored yet (the worker fetches it first)."""
    blob = services.voicemails.stream(message.recording_sid) if message.audio_kept else None
    if blob is None:
        raise NotFoundError("this recording is not stored yet; try again in a minute")
    name = audio_file_name(message.received_at, timezone)  # digits and dashes only: safe in a header as it is
    headers = {"Content-Length": str(blob.size), "Cache-Control": PRIVATE_AUDIO, "X-Content-Type-Options": "nosniff"}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return StreamingResponse(blob.chunks, media_type="audio/mpeg", headers=headers)


def listened(
    session: Session,
    business_id: int,
    actor: str,
    message: InboxMessage,
    at: datetime,
    address: str | None,
    *,
    download: bool = False,
) -> None:
    """Who heard which message, in the audit trail (a practice must know who listened to what): recorded in the
    request's transaction, once the recording was found to serve."""
    action = "voicemail_downloaded" if download else "voicemail_played"
    details = {"recording": message.recording_sid}
    audit.record(session, business_id=business_id, actor=actor, action=action, at=at, address=address, details=details)

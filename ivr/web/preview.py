"""What a caller hears: the simulator's call against this app's own configuration, for the admin page and API.

A preview is not a call. Its requests go in-process into the app that is serving the page (no second app: no
worker, storage clients, watch, listener or database pool per preview), carrying in their ASGI scope Services of
their own (`PREVIEW_SERVICES`): a call log that records nothing, so staff who open the dashboard do not see their
own previews among today's calls (nor another business's, as one fixed call sid would have it); a one-off auth
token, so each request is signed and checked exactly as Twilio's are; and, for a change not saved yet, a directory
that answers the drafts instead of the stored documents.
"""

import secrets
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from ivr.document.model import DEFAULT_TIMEZONE, BusinessDocument
from ivr.errors import InputError
from ivr.routing.directory import Directory
from ivr.settings import Settings
from ivr.simulator.behaviour import Answering, PhoneBehaviour
from ivr.simulator.caller import CallPlan, SimulatedCall, Transcript
from ivr.store.calls import CallEntry
from ivr.usecases.measured import recording_words_in
from ivr.web.process_levers import HeapSettler
from ivr.web.services import PREVIEW_SERVICES, Services

# A Dutch mobile as the caller, and phones that answer after a typical while: the preview shows the path a
# call takes when someone is there (staff pick up after 8 s, an answering service after 5 s).
PREVIEW_CALLER = "+31612345678"
OPERATORS_ANSWER_AFTER_S = 8
SERVICE_ANSWERS_AFTER_S = 5
# Previews are for days people plan for; the far edges of the calendar only overflow date arithmetic.
FIRST_YEAR, LAST_YEAR = 1970, 2200
# The simulator's own per-request limit is generous; a preview that takes longer is a broken flow.
PREVIEW_TIMEOUT_S = 20.0


class _NotLogged:
    def record(self, entry: CallEntry) -> None:
        pass

    def flush(self, timeout_s: float = 0.0) -> bool:
        return True

    def close(self) -> None:
        pass


def local_time_at(document: dict[str, Any], moment: datetime) -> datetime:
    """A moment as wall-clock time at the business; a time without a zone is taken to be that already."""
    if not FIRST_YEAR < moment.year < LAST_YEAR:
        raise InputError(f"give a time between the years {FIRST_YEAR} and {LAST_YEAR}, got {moment.isoformat()}")
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(document.get("timezone", DEFAULT_TIMEZONE))).replace(tzinfo=None)


def caller_hears(
    services: Services,
    session: Session,
    document: dict[str, Any],
    moment: datetime,
    presses: str = "",
    drafts: Mapping[int, BusinessDocument] | None = None,
) -> Transcript:
    """The transcript of a call at `moment`; InputError for a moment outside the years a preview covers.
    `drafts`: unsaved documents by business id, heard instead of the stored ones. `session`: the request's, for the
    recordings' words (the call itself goes into the serving app, whose webhooks read as they do for Twilio)."""
    token = secrets.token_hex(16)  # signed and checked exactly as Twilio's requests are
    settings = services.settings.model_copy(update={"twilio_auth_token": token})
    plan = CallPlan(
        document["numbers"][0],
        PREVIEW_CALLER,
        local_time_at(document, moment),
        presses,
        PhoneBehaviour(Answering.AFTER, OPERATORS_ANSWER_AFTER_S),
        PhoneBehaviour(Answering.AFTER, SERVICE_ANSWERS_AFTER_S),
        call_sid="CApreview" + secrets.token_hex(12),
    )
    # Loaded on the first preview, not when the server starts (httpx is a few MB of idle memory, issue 12).
    import httpx

    from ivr.simulator.transport import InProcessTransport

    # In-process: no server thread or socket per preview, the requests go straight into the serving app.
    transport = InProcessTransport(_with_services(services.app, _preview_services(services, settings, drafts)))
    with httpx.Client(transport=transport, base_url=settings.public_url, timeout=PREVIEW_TIMEOUT_S) as client:
        words = recording_words_in(session, plan.to_number)
        return SimulatedCall(client, settings.public_url, token, plan, words).run()


def _preview_services(
    services: Services, settings: Settings, drafts: Mapping[int, BusinessDocument] | None
) -> Services:
    if not drafts:  # the stored documents: the app's own directory knows them (and keeps what it parsed)
        return replace(services, settings=settings, call_log=_NotLogged(), console=None)
    directory = Directory(
        media_exists=services.media.exists,
        # A draft's routing is nobody's to remember: the shared snapshot holds saved documents only.
        routing=None,
        recheck_s=settings.directory_recheck_s,
        drafts=drafts,
    )
    # A heap settler of its own, as the drafts' directory counts the documents it loaded from zero.
    return replace(
        services, settings=settings, call_log=_NotLogged(), directory=directory, heap=HeapSettler(), console=None
    )


def _with_services(app: ASGIApp, services: Services) -> ASGIApp:
    """`app`, answering with `services` instead of its own (ivr.web.services.get_services reads them)."""

    async def preview(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, PREVIEW_SERVICES: services}, receive, send)

    return preview

"""What a caller hears: the simulator's call against this app's own configuration, for the admin page and API.

A preview is not a call. It runs on a second app that shares the database but logs nothing, so staff who open
the dashboard do not see their own previews among today's calls (nor another business's, as one fixed call sid
would have it), and it opens no database pool or log writer that would outlive the request.
"""

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ivr.document.model import DEFAULT_TIMEZONE, BusinessDocument
from ivr.errors import InputError
from ivr.measured import recording_words
from ivr.simulator.behaviour import Answering, PhoneBehaviour
from ivr.simulator.caller import CallPlan, SimulatedCall, Transcript
from ivr.store.calls import CallEntry
from ivr.web.services import Services

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
    document: dict[str, Any],
    moment: datetime,
    presses: str = "",
    drafts: Mapping[int, BusinessDocument] | None = None,
) -> Transcript:
    """The transcript of a call at `moment`; InputError for a moment outside the years a preview covers.
    `drafts`: unsaved documents by business id, heard instead of the stored ones."""
    from ivr.web.app import create_app  # the app module imports the routes that import this one

    token = secrets.token_hex(16)  # signed and checked exactly as Twilio's requests are
    settings = services.settings.model_copy(update={"twilio_auth_token": token})
    app = create_app(settings, clock=services.clock, database=services.database, call_log=_NotLogged(), drafts=drafts)
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

    # In-process: no server thread or socket per preview, the requests go straight into the second app.
    transport = InProcessTransport(app)
    with httpx.Client(transport=transport, base_url=settings.public_url, timeout=PREVIEW_TIMEOUT_S) as client:
        words = recording_words(services.database, plan.to_number)
        return SimulatedCall(client, settings.public_url, token, plan, words).run()

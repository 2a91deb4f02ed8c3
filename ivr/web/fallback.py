"""The answer of last resort: when a voice webhook fails inside, the caller still reaches a human.

Voice endpoints are wrapped in `within_deadline` (FastAPI routes of the Twilio router use `FallbackRoute`): any
failure other than a refused signature becomes a 200 with TwiML that dials the business's operators as last loaded,
or else says a clear message; when the staff do not answer, the overflow the snapshot names (ivr.callflow.last_resort).
So does a handler that has not answered within `VOICE_DEADLINE_S` (a stalled
database): the caller is not kept waiting.
"""

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from ivr.callflow import flow
from ivr.callflow.last_resort import (
    LastKnownOverflow,
    after_fallback_dial,
    after_fallback_recording,
    fallback_with_overflow,
    overflow_destination,
)
from ivr.callflow.model import Country, Language, Prompt
from ivr.callflow.steps import Decision
from ivr.document.phones import caller_id, region_of
from ivr.routing.directory import Directory
from ivr.simulator import SIMULATED_CALL_FIELD, is_simulated
from ivr.store.calls import CallStep
from ivr.store.snapshot import Routing
from ivr.twiml import LAST_RESORT_TWIML
from ivr.web.services import get_services
from ivr.web.signature import urlencoded_form, verified_twilio_form
from prompts import prompt_book

log = logging.getLogger("greetline.fallback")

# Every voice webhook answers within 3 s (issue 8). The handler gets this long; checking the signature again and
# rendering the fallback take milliseconds, leaving the rest for the network.
VOICE_DEADLINE_S = 2.0
# Re-checking the signature before a fallback after the deadline: the form is normally parsed already.
RECHECK_DEADLINE_S = 0.5

TWIML_MEDIA_TYPE = "application/xml"
# The <Record> action: after a message, the fallback says goodbye rather than ringing the staff again.
RECORDED_PATH = "/twilio/recorded"

# When nothing is known about the business, speak the language of the country its number belongs to.
LANGUAGE_BY_REGION = {
    "NL": Language.NL,
    "BE": Language.NL,
    "DE": Language.DE,
    "AT": Language.DE,
    "CH": Language.DE,
    "FR": Language.FR,
    "LU": Language.FR,
}


def language_for_number(number: str) -> Language:
    return LANGUAGE_BY_REGION.get(region_of(number) or "", Language.EN)


def _overflow_of(routing: Routing) -> LastKnownOverflow | None:
    destination = overflow_destination(routing.overflow, routing.voicemail_box)
    return LastKnownOverflow(routing.business_id, destination, Prompt(routing.voicemail)) if destination else None


def fallback_decision(directory: Directory, to_number: str, path: str = "/twilio/voice") -> Decision:
    """What a voice webhook at `path` answers when the business cannot be loaded: from the routing snapshot."""
    routing = directory.last_known(to_number)
    language = Language(routing.language) if routing else language_for_number(to_number)
    if path == RECORDED_PATH:  # the caller has left a message: never ring the staff again
        return after_fallback_recording(Prompt(prompt_book(language.value).text("goodbye")), language)
    if routing is not None:
        return fallback_with_overflow(
            routing.operators, Prompt(routing.unavailable), language, Country(routing.country), _overflow_of(routing)
        )
    message = Prompt(prompt_book(language.value).text("fallback"))
    return flow.fallback((), message, language, Country.NL)


def fallback_after_dial(directory: Directory, to_number: str, status: str) -> Decision:
    """The fallback's dial to the staff ended (its own stage of the dial-ended webhook): from the snapshot alone."""
    routing = directory.last_known(to_number)
    if routing is None:  # the snapshot lost the number meanwhile: the general message
        language = language_for_number(to_number)
        return after_fallback_dial(
            status, None, Prompt(prompt_book(language.value).text("fallback")), language, Country.NL
        )
    return after_fallback_dial(
        status, _overflow_of(routing), Prompt(routing.unavailable), Language(routing.language), Country(routing.country)
    )


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


async def read_snapshot(directory: Directory) -> None:
    """Before answering from memory: the routing snapshot another process rewrote, read and parsed in a thread.

    The event loop only looks at the file's stat. The thread is the event loop's own executor, not the pool the
    database reads run in: with the database stalled that pool can be full of waiting reads, and the fallback,
    which needs the snapshot most then, must not queue behind them.
    """
    if directory.snapshot_stale():
        await asyncio.get_running_loop().run_in_executor(None, directory.read_snapshot)


def within_deadline(handler: Handler) -> Handler:
    """The handler's answer if it comes within the deadline and without failing; the fallback otherwise."""

    async def answer_whatever_happens(request: Request) -> Response:
        # Not asyncio.wait_for: it would wait for a worker thread stuck on the database to end, which is
        # exactly what must not hold the call. The abandoned task ends with its thread.
        task = asyncio.ensure_future(handler(request))
        done, _pending = await asyncio.wait({task}, timeout=VOICE_DEADLINE_S)
        if not done:
            task.add_done_callback(_late_answer)
            log.error(
                "voice webhook %s took over %.1f s; answering with the fallback", request.url.path, VOICE_DEADLINE_S
            )
            await _signed(request)
            return await _fallback_response(request)
        try:
            return task.result()
        except HTTPException:
            raise
        except Exception:
            log.exception("voice webhook %s failed; answering with the fallback", request.url.path)
            return await _fallback_response(request)

    return answer_whatever_happens


class FallbackRoute(APIRoute):
    """For FastAPI routes of the Twilio router; the voice routes are plain endpoints wrapped in `within_deadline`."""

    def get_route_handler(self) -> Handler:
        return within_deadline(super().get_route_handler())


async def _signed(request: Request) -> None:
    """The deadline may have passed before the signature was checked: the fallback needs a signed request too."""
    try:
        await asyncio.wait_for(verified_twilio_form(request), RECHECK_DEADLINE_S)
    except TimeoutError:
        raise HTTPException(status_code=408, detail="the request body did not arrive in time") from None


def _late_answer(task: "asyncio.Future[Response]") -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("a voice webhook answered by the fallback failed later: %r", task.exception())


async def _fallback_response(request: Request) -> Response:
    try:
        services = get_services(request)
        form = await urlencoded_form(request)  # signed: checked before this
        to_number = str(form.get("To", ""))
        await read_snapshot(services.directory)
        decision = fallback_decision(services.directory, to_number, request.url.path)
        body = services.renderer.render(decision.steps)
        routing = services.directory.last_known(to_number)
        # Logged like any answer (the writer waits for the database), so a fault does not hide the calls it hit.
        services.call_log.record(
            CallStep(
                call_sid=str(form.get("CallSid", "")),
                business_id=routing.business_id if routing else None,
                to_number=to_number,
                from_number=caller_id(str(form.get("From", ""))),
                at=services.clock(),
                path=decision.path,
                outcome=decision.outcome.value if decision.outcome else None,
                simulated=is_simulated(form.get(SIMULATED_CALL_FIELD)),
            )
        )
    except Exception:
        log.exception("the fallback failed too; answering the last-resort message")
        body = LAST_RESORT_TWIML
    return Response(body, media_type=TWIML_MEDIA_TYPE)

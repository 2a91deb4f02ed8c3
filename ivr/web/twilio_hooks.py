"""Twilio's webhooks: parse the form, load the business, let the call flow decide, render TwiML.

Signatures are checked by the TwilioForm dependency; failures inside answer the fallback (FallbackRoute).
"""

import logging
from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ivr.callflow import flow
from ivr.callflow.flow import DialStage, DialStatus
from ivr.callflow.model import Business, Prompt
from ivr.callflow.steps import Decision, Outcome
from ivr.directory import MISS, Miss
from ivr.store import calls
from ivr.store.calls import CallEnd, CallStep
from ivr.web.fallback import TWIML_MEDIA_TYPE, FallbackRoute, language_for_number
from ivr.web.services import Services, ServicesDep
from ivr.web.signature import TwilioForm
from prompts import prompt_book

log = logging.getLogger("greetline.calls")

router = APIRouter(prefix="/twilio", route_class=FallbackRoute, tags=["twilio"])

# A form field the simulator sends (signed like every other) to run a call at another local time.
SIMULATED_TIME_FIELD = "GreetlineSimulatedAt"

Decide = Callable[[Business, datetime], Decision]


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _simulated_now(services: Services, form: FormData, connection: Connection, simulated: str) -> datetime:
    """The simulator's time: an instant, or a wall-clock time at the business called."""
    moment = datetime.fromisoformat(simulated)
    if moment.tzinfo is None:
        return services.directory.local_to_aware(connection, _field(form, "To"), moment)
    return moment


def _twiml(services: Services, decision: Decision) -> Response:
    return Response(services.renderer.render(decision.steps), media_type=TWIML_MEDIA_TYPE)


def _from_database(services: Services, form: FormData, to_number: str) -> tuple[datetime, Business | None]:
    """In a worker thread: the database is asked only when memory cannot answer (blocking I/O off the event loop)."""
    with services.database.reading() as connection:
        simulated = _field(form, SIMULATED_TIME_FIELD)
        now = _simulated_now(services, form, connection, simulated) if simulated else services.clock()
        return now, services.directory.lookup(connection, to_number, now)


async def _answer(services: Services, form: FormData, decide: Decide) -> Response:
    """Find the business by the number called, decide, hand the step to the call log, answer."""
    to_number, from_number, call_sid = _field(form, "To"), _field(form, "From"), _field(form, "CallSid")
    now = services.clock()
    cached = MISS if _field(form, SIMULATED_TIME_FIELD) else services.directory.cached(to_number, now)
    business: Business | None
    if isinstance(cached, Miss):
        now, business = await run_in_threadpool(_from_database, services, form, to_number)
    else:
        business = cached
    if business is None:
        language = language_for_number(to_number)
        decision = flow.unknown_number(Prompt(prompt_book(language.value).text("unavailable")), language)
        log.warning("call %s to unknown number %s from %s", call_sid, to_number, from_number)
    else:
        decision = decide(business, now)
    services.call_log.record(
        CallStep(
            call_sid=call_sid,
            business_id=business.id if business else None,
            to_number=to_number,
            from_number=from_number,
            at=now,
            path=decision.path,
            outcome=decision.outcome.value if decision.outcome else None,
        )
    )
    return _twiml(services, decision)


@router.post("/voice", summary="A call comes in")
async def voice(form: TwilioForm, services: ServicesDep) -> Response:
    return await _answer(services, form, flow.incoming)


@router.post("/menu", summary="The caller pressed a key in the menu")
async def menu(form: TwilioForm, services: ServicesDep, attempt: int = 1) -> Response:
    digits = _field(form, "Digits")
    return await _answer(services, form, lambda business, _now: flow.menu_choice(business, digits, attempt))


@router.post("/dial-ended", summary="A <Dial> finished")
async def dial_ended(form: TwilioForm, services: ServicesDep, stage: DialStage, index: int = 0) -> Response:
    status = DialStatus(_field(form, "DialCallStatus") or DialStatus.FAILED.value)
    return await _answer(services, form, lambda business, _now: flow.dial_ended(business, stage, status, index))


@router.post("/recorded", summary="The caller finished a voicemail message")
async def recorded(form: TwilioForm, services: ServicesDep) -> Response:
    return await _answer(services, form, lambda business, _now: flow.recorded(business))


def _whisper_lookup(services: Services, business_id: int, now: datetime) -> Business | None:
    with services.database.reading() as connection:
        return services.directory.lookup_by_id(connection, business_id, now)


@router.post("/whisper", summary="What the answering service hears before it is connected")
async def whisper(form: TwilioForm, services: ServicesDep, business: int) -> Response:
    now = services.clock()
    found = services.directory.cached_by_id(business, now)
    if isinstance(found, Miss):
        found = await run_in_threadpool(_whisper_lookup, services, business, now)
    if found is None:  # the business was deleted mid-call: connect without a whisper
        return _twiml(services, Decision((), "whisper:unknown"))
    return _twiml(services, flow.whisper(found))


@router.post("/recording", summary="Twilio's recording status callback")
def recording(form: TwilioForm, services: ServicesDep, business: int) -> Response:
    duration = _field(form, "RecordingDuration")
    with services.database.transaction() as session:
        calls.save_recording(
            session,
            recording_sid=_field(form, "RecordingSid"),
            call_sid=_field(form, "CallSid"),
            business_id=business,
            url=_field(form, "RecordingUrl"),
            duration_s=int(duration) if duration.isdigit() else None,
            status=_field(form, "RecordingStatus") or "completed",
            now=services.clock(),
        )
    return Response(services.renderer.render(()), media_type=TWIML_MEDIA_TYPE)


# Twilio's final CallStatus values (Twilio docs, "Call status callback").
FINAL_CALL_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}


@router.post("/status", summary="Twilio's call status callback")
def status(form: TwilioForm, services: ServicesDep) -> Response:
    if _field(form, "CallStatus") in FINAL_CALL_STATUSES:
        duration = _field(form, "CallDuration")
        services.call_log.record(
            CallEnd(
                call_sid=_field(form, "CallSid"),
                at=services.clock(),
                duration_s=int(duration) if duration.isdigit() else None,
                hung_up=Outcome.HUNG_UP.value,
            )
        )
    return Response(services.renderer.render(()), media_type=TWIML_MEDIA_TYPE)

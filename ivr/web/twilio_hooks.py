"""Twilio's webhooks: parse the form, load the business, let the call flow decide, render TwiML.

Signatures are checked by the TwilioForm dependency; failures inside answer the fallback (FallbackRoute).
"""

import logging
from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ivr.callflow import flow
from ivr.callflow.flow import DialStage, DialStatus
from ivr.callflow.model import Business, Prompt
from ivr.callflow.steps import Decision, Outcome
from ivr.store import calls
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


def _now(services: Services, form: FormData, session: Session) -> datetime:
    """The clock's time, or the simulator's: an instant, or a wall-clock time at the business called."""
    simulated = _field(form, SIMULATED_TIME_FIELD)
    if not simulated:
        return services.clock()
    moment = datetime.fromisoformat(simulated)
    if moment.tzinfo is None:
        return services.directory.local_to_aware(session, _field(form, "To"), moment)
    return moment


def _twiml(services: Services, decision: Decision) -> Response:
    return Response(services.renderer.render(decision.steps), media_type=TWIML_MEDIA_TYPE)


def _answer(services: Services, form: FormData, decide: Decide) -> Response:
    """Find the business by the number called, decide, log the step, answer."""
    to_number, from_number, call_sid = _field(form, "To"), _field(form, "From"), _field(form, "CallSid")
    with services.database.transaction() as session:
        now = _now(services, form, session)
        business = services.directory.lookup(session, to_number, now)
        if business is None:
            language = language_for_number(to_number)
            decision = flow.unknown_number(Prompt(prompt_book(language.value).text("unavailable")), language)
            log.warning("call %s to unknown number %s from %s", call_sid, to_number, from_number)
        else:
            decision = decide(business, now)
        calls.log_step(
            session,
            call_sid=call_sid,
            business_id=business.id if business else None,
            to_number=to_number,
            from_number=from_number,
            now=now,
            path=decision.path,
            outcome=decision.outcome.value if decision.outcome else None,
        )
    return _twiml(services, decision)


@router.post("/voice", summary="A call comes in")
def voice(form: TwilioForm, services: ServicesDep) -> Response:
    return _answer(services, form, flow.incoming)


@router.post("/menu", summary="The caller pressed a key in the menu")
def menu(form: TwilioForm, services: ServicesDep, attempt: int = 1) -> Response:
    digits = _field(form, "Digits")
    return _answer(services, form, lambda business, _now: flow.menu_choice(business, digits, attempt))


@router.post("/dial-ended", summary="A <Dial> finished")
def dial_ended(form: TwilioForm, services: ServicesDep, stage: DialStage, index: int = 0) -> Response:
    status = DialStatus(_field(form, "DialCallStatus") or DialStatus.FAILED.value)
    return _answer(services, form, lambda business, _now: flow.dial_ended(business, stage, status, index))


@router.post("/recorded", summary="The caller finished a voicemail message")
def recorded(form: TwilioForm, services: ServicesDep) -> Response:
    return _answer(services, form, lambda business, _now: flow.recorded(business))


@router.post("/whisper", summary="What the answering service hears before it is connected")
def whisper(form: TwilioForm, services: ServicesDep) -> Response:
    # This request is about the answering service's leg; the caller's call is its parent.
    parent_sid = _field(form, "ParentCallSid")
    with services.database.transaction() as session:
        now = services.clock()
        parent = calls.get(session, parent_sid)
        business = services.directory.lookup(session, parent.to_number, now) if parent else None
    if business is None:
        return Response(services.renderer.render(()), media_type=TWIML_MEDIA_TYPE)
    return _twiml(services, flow.whisper(business))


@router.post("/recording", summary="Twilio's recording status callback")
def recording(form: TwilioForm, services: ServicesDep) -> Response:
    call_sid = _field(form, "CallSid")
    duration = _field(form, "RecordingDuration")
    with services.database.transaction() as session:
        call = calls.get(session, call_sid)
        calls.save_recording(
            session,
            recording_sid=_field(form, "RecordingSid"),
            call_sid=call_sid,
            business_id=call.business_id if call else None,
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
        with services.database.transaction() as session:
            calls.finish(
                session,
                call_sid=_field(form, "CallSid"),
                now=services.clock(),
                duration_s=int(duration) if duration.isdigit() else None,
                hung_up=Outcome.HUNG_UP.value,
            )
    return Response(services.renderer.render(()), media_type=TWIML_MEDIA_TYPE)

"""Twilio's webhooks: parse the form, load the business, let the call flow decide, render TwiML.

The voice routes (voice, menu, emergency, dial-ended, whisper) are plain async endpoints: they check the signature first
(verified_twilio_form, 403) and answer from the directory's memory on the event loop, asking the database in a worker
thread only on a miss; `within_deadline` answers the fallback on any failure or after the deadline. The other
callbacks are FastAPI routes with the TwilioForm dependency and FallbackRoute.
"""

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request, Response
from sqlalchemy import Connection
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ivr.callflow import flow
from ivr.callflow.flow import DialStage, DialStatus
from ivr.callflow.last_resort import FALLBACK_STAGE
from ivr.callflow.model import Business, Prompt
from ivr.callflow.steps import Decision, Outcome
from ivr.callflow.whisper import CallerRoute, Via
from ivr.document.phones import caller_id
from ivr.errors import InputError
from ivr.messages.notes import missed_call_check
from ivr.messages.outbox import CALL_SID
from ivr.messages.text_back import text_back_check
from ivr.routing.directory import MISS, Miss
from ivr.simulator import (
    SIMULATED_AWAY_FIELD,
    SIMULATED_CALL_FIELD,
    SIMULATED_TIME_FIELD,
    away_of_field,
    is_simulated,
)
from ivr.store import jobs
from ivr.store.call_progress import Heard
from ivr.store.calls import CallEnd, CallStep
from ivr.store.console_events import PutThrough
from ivr.web.fallback import (
    TWIML_MEDIA_TYPE,
    FallbackRoute,
    fallback_after_dial,
    language_for_number,
    read_snapshot,
    within_deadline,
)
from ivr.web.recording_hooks import RecordingQuery, RecordingQueryDep, left_message, store_message
from ivr.web.services import Services, ServicesDep, get_services
from ivr.web.signature import TwilioForm, verified_twilio_form
from prompts import prompt_book

log = logging.getLogger("greetline.calls")

router = APIRouter(prefix="/twilio", route_class=FallbackRoute, tags=["twilio"])

# A decision, or a decision with its TwiML already rendered (ivr.web.first_answers).
Decide = Callable[[Business, datetime], Decision | tuple[Decision, str]]
# The call log's call_sid column (ivr.store.tables.CallRow); Twilio's own are 34 characters.
MAX_CALL_SID_CHARS = 64


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _simulated_now(services: Services, form: FormData, connection: Connection, simulated: str) -> datetime:
    """The simulator's time: an instant, or a wall-clock time at the business called; in UTC, as the clock's are (a
    time in the business's zone was stored as its wall-clock reading where the database keeps no zone: SQLite)."""
    moment = datetime.fromisoformat(simulated)
    if moment.tzinfo is None:
        moment = services.directory.local_to_aware(connection, _field(form, "To"), moment)
    return moment.astimezone(UTC)


def _twiml(services: Services, decision: Decision) -> Response:
    return Response(services.renderer.render(decision.steps), media_type=TWIML_MEDIA_TYPE)


def _from_database(services: Services, form: FormData, to_number: str) -> tuple[datetime, Business | None]:
    """In a worker thread: the database is asked only when memory cannot answer (blocking I/O off the event loop)."""
    # The voice webhooks (here, ivr.web.recording_hooks, ivr.web.fallback) take no request session
    # (ivr.web.request_session) but these plain reads: one pooled connection in autocommit, no ORM session, no BEGIN
    # and COMMIT round trips. Their path is measured against a bare FastAPI app (docs/benchmarks.md) and must answer
    # within 3 s even when the database stalls (the bounds in ivr.store.database).
    with services.database.reading() as connection:
        simulated = _field(form, SIMULATED_TIME_FIELD)
        now = _simulated_now(services, form, connection, simulated) if simulated else services.clock()
        return now, services.directory.lookup(connection, to_number, now)


async def answer_call(services: Services, form: FormData, decide: Decide) -> Response:
    """Find the business by the number called, decide, hand the step to the call log, answer."""
    to_number, from_number, call_sid = _field(form, "To"), caller_id(_field(form, "From")), _field(form, "CallSid")
    now = services.clock()
    await read_snapshot(services.directory)
    simulated = _field(form, SIMULATED_TIME_FIELD) or SIMULATED_AWAY_FIELD in form
    cached = MISS if simulated else services.directory.cached(to_number, now)
    business: Business | None
    body: str | None = None
    if isinstance(cached, Miss):
        now, business = await run_in_threadpool(_from_database, services, form, to_number)
        services.heap.after_loading(services.directory.documents_loaded)
    else:
        business = cached
    if business is not None and SIMULATED_AWAY_FIELD in form:  # greetline call --calendar: this call's spells
        business = replace(business, away=away_of_field(_field(form, SIMULATED_AWAY_FIELD)))
    if business is None:
        language = language_for_number(to_number)
        decision = flow.unknown_number(Prompt(prompt_book(language.value).text("unavailable")), language)
        log.warning("call %s to unknown number %s from %s", call_sid, to_number, from_number)
    else:
        answered = decide(business, now)
        decision, body = answered if isinstance(answered, tuple) else (answered, None)
    services.call_log.record(
        CallStep(
            call_sid=call_sid,
            business_id=business.id if business else None,
            to_number=to_number,
            from_number=from_number,
            at=now,
            path=decision.path,
            outcome=decision.outcome.value if decision.outcome else None,
            rings=business.rings if business and decision.dials else None,
            box=decision.box,
            simulated=is_simulated(form.get(SIMULATED_CALL_FIELD)),
            answered_at=_answered_at(form, now),
            # The stage marks and the emergency flag are worked out from it by the call log's writer, off the loop.
            heard=Heard(business, decision.steps) if business else None,
        )
    )
    return _twiml(services, decision) if body is None else Response(body, media_type=TWIML_MEDIA_TYPE)


def _answered_at(form: FormData, now: datetime) -> datetime | None:
    """When the dial that just ended was answered: its end less the conversation (Twilio's DialCallDuration)."""
    if _field(form, "DialCallStatus") not in (DialStatus.COMPLETED, DialStatus.ANSWERED):
        return None
    talked = _field(form, "DialCallDuration")
    return now - timedelta(seconds=int(talked)) if talked.isdigit() else None


async def _voice(request: Request, decide: Callable[[Request, FormData], Decide]) -> Response:
    services = get_services(request)
    form = await verified_twilio_form(request)
    return await answer_call(services, form, decide(request, form))


def _query_int(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name)
    return default if value is None else int(value)  # a bad value fails the handler: the caller gets the fallback


async def voice(request: Request) -> Response:
    """A call comes in: every caller of the business hears the same first answer while its situation lasts (kept
    once decided, ivr.web.first_answers), except one on the blocked list, who hears the blocked text."""
    services = get_services(request)

    def decide(_request: Request, form: FormData) -> Decide:
        caller = caller_id(_field(form, "From"))

        def first(business: Business, now: datetime) -> Decision | tuple[Decision, str]:
            if flow.is_blocked(business, caller):
                return flow.blocked_answer(business)
            return services.first_answers.answer(business, now, services.renderer)

        return first

    return await _voice(request, decide)


async def menu(request: Request) -> Response:
    """The caller pressed a key in the menu."""

    def decide(request: Request, form: FormData) -> Decide:
        digits, attempt = _field(form, "Digits"), _query_int(request, "attempt", 1)
        return lambda business, _now: flow.menu_choice(business, digits, attempt)

    return await _voice(request, decide)


async def dial_ended(request: Request) -> Response:
    """A <Dial> finished."""
    if request.query_params.get("stage") == FALLBACK_STAGE:
        return await _after_fallback_dial(request)

    def decide(request: Request, form: FormData) -> Decide:
        stage, index = DialStage(request.query_params.get("stage", "")), _query_int(request, "index", 0)
        status = DialStatus(_field(form, "DialCallStatus") or DialStatus.FAILED.value)
        key, period = request.query_params.get("key", ""), request.query_params.get("period", "")
        return lambda business, _now: flow.dial_ended(business, stage, status, index, key, period)

    return await _voice(request, decide)


async def emergency(request: Request) -> Response:
    """When closed, the caller pressed a key during the message (the emergency option)."""

    def decide(request: Request, form: FormData) -> Decide:
        digits, via = _field(form, "Digits"), Via(request.query_params.get("via", Via.HOURS.value))
        period = request.query_params.get("period", "")
        return lambda business, _now: flow.emergency_choice(business, digits, via, period)

    return await _voice(request, decide)


async def _after_fallback_dial(request: Request) -> Response:
    """The fallback's dial to the staff ended: answered from the routing snapshot, never the database (which was away
    a moment ago): the call ends, or goes on to the overflow."""
    services = get_services(request)
    form = await verified_twilio_form(request)
    to_number = _field(form, "To")
    await read_snapshot(services.directory)
    decision = fallback_after_dial(services.directory, to_number, _field(form, "DialCallStatus"))
    routing = services.directory.last_known(to_number)
    services.call_log.record(
        CallStep(
            call_sid=_field(form, "CallSid"),
            business_id=routing.business_id if routing else None,
            to_number=to_number,
            from_number=caller_id(_field(form, "From")),
            at=services.clock(),
            path=decision.path,
            outcome=decision.outcome.value if decision.outcome else None,
        )
    )
    return _twiml(services, decision)


def _keep_message(services: Services, form: FormData, query: RecordingQuery) -> None:
    """Store the message the <Record> action describes, if the status callback has not already.

    This is a voice webhook: whatever goes wrong here, the caller still hears the goodbye (a 5xx would make
    Twilio say "an application error has occurred"). A message not stored here is stored by the recording
    status callback, which answers 5xx until it is, and else by the reconciler.
    """
    if not _field(form, "RecordingSid"):  # Twilio always sends one; a preview of what callers hear does not
        return
    try:
        message, found_box = left_message(services, form, query)
        store_message(services, form, message, found_box, at_its_end=True)
    except InputError as error:
        log.warning("call %s: voicemail not taken in at /recorded: %s", _field(form, "CallSid")[:40], error)
    except Exception:
        log.exception("call %s: storing the voicemail failed at /recorded; the status callback will bring it")


@router.post("/recorded", summary="The caller finished a voicemail message")
async def recorded(form: TwilioForm, services: ServicesDep, query: RecordingQueryDep) -> Response:
    # Storing is blocking database work: off the event loop, then the caller hears the goodbye from memory.
    await run_in_threadpool(_keep_message, services, form, query)
    return await answer_call(services, form, lambda found, _now: flow.recorded(found))


def _whisper_lookup(services: Services, business_id: int, now: datetime) -> Business | None:
    with services.database.reading() as connection:
        return services.directory.lookup_by_id(connection, business_id, now)


async def whisper(request: Request) -> Response:
    """What the answering service hears before it is connected: whom the call is for and how the caller came
    (the route travels in the <Number url>'s query, which Twilio signs with the rest of the URL)."""
    services = get_services(request)
    form = await verified_twilio_form(request)
    business, now = int(request.query_params.get("business", "")), services.clock()
    route = CallerRoute.from_params(request.query_params)
    await read_snapshot(services.directory)
    found = services.directory.cached_by_id(business, now)
    if isinstance(found, Miss):
        found = await run_in_threadpool(_whisper_lookup, services, business, now)
    if found is None:  # the business was deleted mid-call: connect without a whisper
        return _twiml(services, Decision((), "whisper:unknown"))
    decision = flow.whisper(found, route)
    parent = _field(form, "ParentCallSid")
    if 0 < len(parent) <= MAX_CALL_SID_CHARS:
        # On the caller's own call, so the answering service's card lists it with what the caller chose.
        simulated = is_simulated(form.get(SIMULATED_CALL_FIELD))
        # The whisper plays the moment the service answers: the time to a person ends here.
        step = CallStep(parent, found.id, "", "", now, decision.path, None, simulated=simulated, answered_at=now)
        services.call_log.record(step)
        if services.console is not None:
            # The service's console pops up this business's card (issue 26); stored after the whisper is answered,
            # in a worker thread, so the call never waits for it. The leg's From is the caller's number (Twilio
            # dials the service with the caller's ID).
            answer = _twiml(services, decision)
            event = PutThrough(found.id, parent, caller_id(_field(form, "From"))[:32], route.via.value, route.key, now)
            answer.background = BackgroundTask(services.console.publish, event)
            return answer
    return _twiml(services, decision)


@router.post("/confirm", summary="A staff phone answered: ask it to press 1 before the caller is put through")
def confirm(form: TwilioForm, services: ServicesDep, business: int) -> Response:
    with services.database.reading() as connection:
        found = services.directory.lookup_by_id(connection, business, services.clock())
    if found is None:  # the business was deleted mid-call: connect without asking
        return _twiml(services, Decision((), "confirm:unknown"))
    return _twiml(services, flow.confirm_call(found))


@router.post("/confirmed", summary="The staff phone's answer to the confirmation")
def confirmed(form: TwilioForm, services: ServicesDep, business: int) -> Response:
    return _twiml(services, flow.confirmed(_field(form, "Digits")))


# The voice routes as plain endpoints: no dependency solving, no worker thread unless the database is asked. The app
# serves them on its lean path (ivr.web.voice_path), before its middleware and router; the routes stay for GET's 405.
_VOICE_ROUTES = [("/voice", voice), ("/menu", menu), ("/emergency", emergency), ("/dial-ended", dial_ended)]
VOICE_ENDPOINTS = {
    f"{router.prefix}{path}": within_deadline(endpoint) for path, endpoint in [*_VOICE_ROUTES, ("/whisper", whisper)]
}
for _path, _endpoint in VOICE_ENDPOINTS.items():
    router.add_route(_path, _endpoint, methods=["POST"], include_in_schema=False)


# Twilio's final CallStatus values (Twilio docs, "Call status callback").
FINAL_CALL_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}


@router.post("/status", summary="Twilio's call status callback")
def status(form: TwilioForm, services: ServicesDep) -> Response:
    if _field(form, "CallStatus") in FINAL_CALL_STATUSES:
        duration = _field(form, "CallDuration")
        duration_s = int(duration) if duration.isdigit() else None
        now = services.clock()
        services.call_log.record(
            CallEnd(
                call_sid=_field(form, "CallSid"),
                at=_simulated_end(services, form, duration_s) or now,
                duration_s=duration_s,
                hung_up=Outcome.HUNG_UP.value,
            )
        )
        if is_simulated(form.get(SIMULATED_CALL_FIELD)):
            _simulated_missed_call(services, form, now)
        else:
            _check_for_missed_call(services, form, now)
    return Response(services.renderer.render(()), media_type=TWIML_MEDIA_TYPE)


def _simulated_end(services: Services, form: FormData, duration_s: int | None) -> datetime | None:
    """A call simulated at another time ends that long after it started there, not now."""
    simulated = _field(form, SIMULATED_TIME_FIELD)
    if not simulated:
        return None
    with services.database.reading() as connection:
        return _simulated_now(services, form, connection, simulated) + timedelta(seconds=duration_s or 0)


def _simulated_missed_call(services: Services, form: FormData, now: datetime) -> None:
    """Print the missed-call note a real call would get (ivr.messages.simulated): nothing is queued."""
    if not CALL_SID.match(_field(form, "CallSid")):  # a preview's call (ivr.web.preview): logged nowhere
        return
    with services.database.reading() as connection:
        business = services.directory.lookup(connection, _field(form, "To"), now)
    if business is None or not (business.missed_call_emails or business.text_back_after_s is not None):
        return
    services.call_log.flush()  # the note reads the call's path and end from the log
    services.simulated_messages.call_ended(_field(form, "CallSid"), business.id)


def _check_for_missed_call(services: Services, form: FormData, now: datetime) -> None:
    """Queue a look at the ended call for a business that wants missed-call notes or texts back (best effort:
    logged)."""
    call_sid = _field(form, "CallSid")
    try:
        with services.database.reading() as connection:
            business = services.directory.lookup(connection, _field(form, "To"), now)
        if business is None or not CALL_SID.match(call_sid):
            return
        looks = [missed_call_check(call_sid, business.id, now)] if business.missed_call_emails else []
        if business.text_back_after_s is not None:
            looks.append(text_back_check(call_sid, business.id, now, business.text_back_after_s))
        if not looks:
            return
        with services.database.transaction() as session:
            jobs.enqueue(session, looks, now)
    except Exception:
        log.exception("call %s: could not queue the missed-call check", call_sid[:40])

"""The webhooks of a callback request (ivr.callflow.callback): the start (or the key pressed at the offer before a
voicemail's beep) and the number keyed in. Parse, load, let the call flow decide, store a confirmed request with
its deliveries, render TwiML. Like /recorded these are FallbackRoute routes: anything failing answers the fallback.
"""

import logging
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from ivr.callflow import callback
from ivr.callflow.model import Business
from ivr.callflow.steps import Decision
from ivr.document.keyed_numbers import caller_number, keyed_number
from ivr.document.phones import caller_id
from ivr.messages.callback_requests import take_request
from ivr.messages.outbox import CALL_SID, message_domain
from ivr.simulator import SIMULATED_CALL_FIELD, is_simulated
from ivr.web.fallback import FallbackRoute
from ivr.web.recording_hooks import MAX_ROUTE_LABEL_CHARS, MAX_ROUTE_LABELS
from ivr.web.services import Services, ServicesDep
from ivr.web.signature import TwilioForm
from ivr.web.twilio_hooks import answer_call

log = logging.getLogger("greetline.calls")

router = APIRouter(prefix="/twilio", route_class=FallbackRoute, tags=["twilio"])
# A box name is a few words at most (overflow, closed, menu:KEY, period:DAY); anything longer was not written by us.
MAX_BOX_CHARS = 64


def _text(form: TwilioForm, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


# The route that led to the box, carried on to the <Record> a message is left at (ivr.callflow.flow.route_params).
RouteQuery = Annotated[list[str] | None, Query(description="the path labels that led to the box")]


def _came(route: list[str] | None) -> tuple[str, ...]:
    return tuple(label[:MAX_ROUTE_LABEL_CHARS] for label in (route or [])[:MAX_ROUTE_LABELS])


@router.post("/callback", summary="The caller asks to be called back, or pressed a key at the offer before the beep")
async def start(
    form: TwilioForm, services: ServicesDep, box: str = "", offer: str = "", route: RouteQuery = None
) -> Response:
    caller, digits, box = caller_id(_text(form, "From")), _text(form, "Digits"), box[:MAX_BOX_CHARS]
    came = _came(route)

    def decide(business: Business, _now: datetime) -> Decision:
        spoken = caller_number(caller, business.country.value)
        if offer:
            return callback.callback_offer(business, digits, spoken, box, came)
        return callback.callback_start(business, spoken, box, came)

    return await answer_call(services, form, decide)


@router.post("/callback-number", summary="The caller confirmed the number read back, or keyed in another")
async def number(
    form: TwilioForm, services: ServicesDep, attempt: int = 1, box: str = "", route: RouteQuery = None
) -> Response:
    caller, digits, box = caller_id(_text(form, "From")), _text(form, "Digits"), box[:MAX_BOX_CHARS]
    came = _came(route)
    confirmed: list[tuple[int, str, datetime]] = []

    def decide(business: Business, now: datetime) -> Decision:
        country = business.country.value
        answer = callback.callback_number(
            business, digits, caller_number(caller, country), keyed_number(digits, country), attempt, box, came
        )
        if answer.number is not None:
            confirmed.append((business.id, answer.number, now))
        return answer.decision

    response = await answer_call(services, form, decide)
    if not confirmed:
        return response
    business_id, confirmed_number, now = confirmed[0]
    if is_simulated(form.get(SIMULATED_CALL_FIELD)):  # printed, never stored or sent (ivr.messages.simulated)
        await run_in_threadpool(services.simulated_messages.callback_request, business_id, confirmed_number, now)
    else:
        # Blocking database work, off the event loop; a failure answers the fallback (the caller reaches someone).
        await run_in_threadpool(_keep_request, services, _text(form, "CallSid"), business_id, confirmed_number, now)
    return response


def _keep_request(services: Services, call_sid: str, business_id: int, number: str, now: datetime) -> None:
    domain = message_domain(services.settings.public_url)
    sid = call_sid if CALL_SID.match(call_sid) else None
    if take_request(services.database, business_id, number, sid, domain, now) is not None:
        services.jobs_waiting()
        log.info("call %s: callback request for business %s stored", call_sid[:40], business_id)

"""The first answer to a call, decided and rendered once per business and situation rather than per call.

Every caller of a business hears the same first answer while its situation lasts (open, closed hours, a holiday, a
period): the decision and its TwiML depend on the business as loaded and that situation, never on the request. In
a profile of the signed voice webhook deciding and rendering it anew were a sixth of the webhook's own time
(issue 25, docs/benchmarks.md); the renderer's cache by steps still hashed the whole tree of steps every call.

A business as loaded is one object per revision and part of day (ivr.routing.directory), so it is the key by
identity: a change loads new objects and their answers are decided afresh. The renderer is part of the key too (a
preview renders under its own URLs). The map is emptied when it is full: answers are cheap to decide again.
"""

from collections.abc import Hashable
from datetime import datetime

from ivr.callflow import flow
from ivr.callflow.model import Business
from ivr.callflow.schedule import Holiday, InPeriod, Situation, situation
from ivr.callflow.steps import Decision
from ivr.twiml import TwimlRenderer

# Businesses in memory times their parts of day and situations seen (as many as the renderer caches answers);
# emptied when reached, then refilled by the next calls. Each entry holds its business object until then.
MAX_ANSWERS = 32_768


def _situation_key(current: Situation) -> tuple[str, Hashable]:
    if isinstance(current, InPeriod):
        return "period", id(current.period)  # a period of the business object in the key: held as long as it is
    if isinstance(current, Holiday):
        return "holiday", current.name
    return type(current).__name__, None


class FirstAnswers:
    def __init__(self) -> None:
        self._answers: dict[tuple[int, int, Hashable], tuple[Business, TwimlRenderer, Decision, str]] = {}

    def answer(self, business: Business, now: datetime, renderer: TwimlRenderer) -> tuple[Decision, str]:
        """`flow.incoming` and its TwiML."""
        current = situation(business, now)
        key = (id(business), id(renderer), _situation_key(current))
        found = self._answers.get(key)
        if found is not None and found[0] is business and found[1] is renderer:
            return found[2], found[3]
        decision = flow.incoming_in(business, current)
        body = renderer.render(decision.steps)
        if len(self._answers) >= MAX_ANSWERS:
            self._answers = {}
        # Holding the business keeps its id from being reused by another object while the entry exists.
        self._answers[key] = (business, renderer, decision, body)
        return decision, body

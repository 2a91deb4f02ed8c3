"""The first answer to a call, kept per business as loaded and situation (ivr.web.first_answers): the same answer
`flow.incoming` and the renderer give, decided afresh for a changed business, another situation or renderer."""

from dataclasses import replace
from datetime import UTC, datetime

from ivr.callflow import flow
from ivr.twiml import TwimlRenderer
from ivr.web.first_answers import FirstAnswers
from tests.callflow.factory import CHRISTMAS_PERIOD, make_business

TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TUESDAY_11 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TUESDAY_NIGHT = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
CHRISTMAS_DAY = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)


def test_each_situation_is_answered_as_the_call_flow_and_renderer_answer_it() -> None:
    business = make_business(periods=(CHRISTMAS_PERIOD,))
    renderer = TwimlRenderer("https://greetline.test")
    answers = FirstAnswers()
    for now in [TUESDAY_10, TUESDAY_NIGHT, CHRISTMAS_DAY, TUESDAY_10, CHRISTMAS_DAY]:
        expected = flow.incoming(business, now)
        assert answers.answer(business, now, renderer) == (expected, renderer.render(expected.steps))
    open_, closed, period = (flow.incoming(business, now).path for now in [TUESDAY_10, TUESDAY_NIGHT, CHRISTMAS_DAY])
    assert (open_, closed, period) == ("welcome", "closed:hours", "period:2026-12-24")


def test_the_same_situation_is_decided_once_and_a_changed_business_afresh() -> None:
    business = make_business()
    renderer = TwimlRenderer("https://greetline.test")
    answers = FirstAnswers()
    first, body = answers.answer(business, TUESDAY_10, renderer)
    assert answers.answer(business, TUESDAY_11, renderer)[0] is first  # still open: kept, not decided again
    changed = replace(business, operators=("+31509999999",))  # a new revision loads a new object
    decision, changed_body = answers.answer(changed, TUESDAY_10, renderer)
    assert decision is not first and "+31509999999" in changed_body and "+31509999999" not in body
    other_url = TwimlRenderer("https://preview.greetline.test")
    assert "https://preview.greetline.test/twilio/" in answers.answer(business, TUESDAY_10, other_url)[1]

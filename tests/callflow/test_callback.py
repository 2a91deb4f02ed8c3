"""Callback requests and blocked callers in the pure call flow: table-driven, no adapter."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from ivr.callflow import flow
from ivr.callflow.callback import (
    CallbackAnswer,
    NumberProblem,
    SpokenNumber,
    callback_number,
    callback_offer,
    callback_start,
    read_back,
)
from ivr.callflow.model import Callback, CallbackTexts, MenuOption, Prompt, Voicemail
from ivr.callflow.paths import Ending, EventKind, explore
from ivr.callflow.steps import Gather, Hangup, Hook, Outcome, Record, Redirect, Say
from tests.callflow.factory import make_business

TUESDAY_NIGHT = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
DUTCH_DIGITS = tuple(["nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"])
TEXTS = CallbackTexts(
    offer=Prompt("Toets 1 als u liever teruggebeld wordt."),
    your_number=Prompt("Wij bellen u terug op {number}. Toets 1 om te bevestigen."),
    key_in=Prompt("Toets uw nummer, gevolgd door een hekje."),
    confirmed=Prompt("Wij bellen u terug op {number}."),
    too_short=Prompt("Dat nummer is te kort."),
    too_long=Prompt("Dat nummer is te lang."),
    premium=Prompt("Naar betaalnummers bellen wij niet terug."),
    not_a_number=Prompt("Dat is geen bestaand nummer."),
    digits=DUTCH_DIGITS,
)
CLOSED_BOX = Voicemail(("praktijk@example.nl",), box="closed", offer_callback=True)
NIGHT = make_business(callback=TEXTS, closed=replace(make_business().closed, destination=CLOSED_BOX))
MOBILE = SpokenNumber("+31612345678", ("06", "12", "34", "56", "78"))
OTHER = SpokenNumber("+31201234567", ("020", "123", "4567"))
CALLBACK_OPTION = MenuOption("3", Prompt("Wilt u teruggebeld worden, toets 3."), Callback())


def test_a_number_is_read_back_digit_by_digit_with_a_pause_between_groups() -> None:
    assert read_back(MOBILE, DUTCH_DIGITS) == "nul zes, één twee, drie vier, vijf zes, zeven acht"
    belgian = SpokenNumber("+32470123456", ("+32", "470", "12", "34", "56"))
    assert read_back(belgian, DUTCH_DIGITS).startswith("plus drie twee, vier zeven nul,")


def test_the_closed_box_offers_a_callback_before_the_beep() -> None:
    steps = flow.incoming(NIGHT, TUESDAY_NIGHT).steps
    gather = steps[1]
    assert isinstance(gather, Gather) and gather.action.hook is Hook.CALLBACK
    assert gather.action.params == (("box", "closed"), ("offer", "1"), ("route", "closed:hours"))
    assert [prompt.text for prompt in gather.prompts] == ["Spreek uw bericht in.", TEXTS.offer.text]
    assert isinstance(steps[2], Record)


def test_no_offer_without_callback_texts_or_without_offer_callback() -> None:
    plain = make_business(closed=replace(make_business().closed, destination=replace(CLOSED_BOX, offer_callback=False)))
    assert not any(
        isinstance(step, Gather) for step in flow.incoming(replace(plain, callback=TEXTS), TUESDAY_NIGHT).steps
    )
    assert not any(
        isinstance(step, Gather) for step in flow.incoming(replace(NIGHT, callback=None), TUESDAY_NIGHT).steps
    )


def test_a_menu_option_with_callback_redirects_to_the_callback_webhook() -> None:
    decision = flow.menu_choice(make_business(menu=(CALLBACK_OPTION,), callback=TEXTS), "3", 1)
    assert decision.steps == (Redirect(flow.Webhook(Hook.CALLBACK)),)


def test_a_known_caller_hears_their_number_and_a_withheld_one_keys_one_in() -> None:
    known = callback_start(NIGHT, MOBILE, "closed")
    gather = known.steps[0]
    assert isinstance(gather, Gather) and gather.finish_on_key == "#" and gather.num_digits is None
    assert gather.prompts == (
        Say(
            "Wij bellen u terug op nul zes, één twee, drie vier, vijf zes, zeven acht. Toets 1 om te bevestigen.",
            NIGHT.language,
        ),
    )
    assert known.path == "callback:ask"
    withheld = callback_start(NIGHT, None, "closed")
    assert isinstance(withheld.steps[0], Gather) and withheld.steps[0].prompts[0].text == TEXTS.key_in.text
    assert withheld.path == "callback:key-in"
    # Nothing keyed: the box the caller came from takes a message (never silence).
    assert isinstance(known.steps[-3], Record) and known.steps[-3].box == "closed"


@pytest.mark.parametrize(
    ("digits", "caller", "keyed", "number"),
    [
        ("1", MOBILE, NumberProblem.NOT_A_NUMBER, MOBILE.e164),
        ("0201234567", MOBILE, OTHER, OTHER.e164),
        ("0201234567", None, OTHER, OTHER.e164),
    ],
)
def test_a_confirmed_number_ends_the_call_with_its_confirmation(
    digits: str, caller: SpokenNumber | None, keyed: SpokenNumber | NumberProblem, number: str
) -> None:
    answer = callback_number(NIGHT, digits, caller, keyed, attempt=1, box="closed")
    assert answer.number == number
    assert answer.decision.outcome is Outcome.CALLBACK and answer.decision.path == "callback:requested"
    assert isinstance(answer.decision.steps[0], Say) and isinstance(answer.decision.steps[-1], Hangup)


@pytest.mark.parametrize(
    ("problem", "said"),
    [
        (NumberProblem.TOO_SHORT, "Dat nummer is te kort."),
        (NumberProblem.TOO_LONG, "Dat nummer is te lang."),
        (NumberProblem.PREMIUM, "Naar betaalnummers bellen wij niet terug."),
        (NumberProblem.NOT_A_NUMBER, "Dat is geen bestaand nummer."),
    ],
)
def test_a_wrong_number_is_said_why_then_once_more_then_the_box(problem: NumberProblem, said: str) -> None:
    first = callback_number(NIGHT, "0612", None, problem, attempt=1, box="closed")
    assert first.number is None and first.decision.path == f"callback:{problem.value}"
    gather = first.decision.steps[0]
    assert isinstance(gather, Gather) and [prompt.text for prompt in gather.prompts] == [said, TEXTS.key_in.text]
    assert dict(gather.action.params)["attempt"] == "2"
    second = callback_number(NIGHT, "0612", None, problem, attempt=2, box="closed")
    assert second.number is None and second.decision.steps[0] == Say(said, NIGHT.language)
    assert any(isinstance(step, Record) and step.box == "closed" for step in second.decision.steps)


def test_without_a_box_a_second_wrong_number_hears_goodbye_and_counts_as_missed() -> None:
    business = make_business(menu=(CALLBACK_OPTION,), callback=TEXTS)
    answer = callback_number(business, "9", None, NumberProblem.TOO_SHORT, attempt=2)
    assert answer == CallbackAnswer(answer.decision, None)
    assert [type(step) for step in answer.decision.steps] == [Say, Say, Hangup]
    assert answer.decision.steps[1] == Say(business.texts.goodbye.text, business.language)
    assert answer.decision.outcome is Outcome.MISSED


def test_at_the_offer_1_starts_a_request_and_another_key_leaves_a_message_without_a_second_offer() -> None:
    assert callback_offer(NIGHT, "1", MOBILE, "closed").path == "callback:ask"
    declined = callback_offer(NIGHT, "5", MOBILE, "closed")
    assert not any(isinstance(step, Gather) for step in declined.steps)
    assert any(isinstance(step, Record) for step in declined.steps)


def test_callbacks_switched_off_during_the_call_still_reach_the_box() -> None:
    business = replace(NIGHT, callback=None)
    assert any(isinstance(step, Record) for step in callback_start(business, MOBILE, "closed").steps)
    answer = callback_number(business, "1", MOBILE, MOBILE, 1, "closed")
    assert answer.number is None


def test_a_blocked_caller_hears_the_blocked_text_only_and_is_logged_blocked() -> None:
    business = make_business(blocked=frozenset({"+31612345678"}))
    decision = flow.incoming(business, TUESDAY_NIGHT, caller="+31612345678")
    assert decision.steps == (Say(business.texts.blocked.text, business.language), Hangup())
    assert decision.outcome is Outcome.BLOCKED and decision.path == "blocked"
    assert flow.incoming(business, TUESDAY_NIGHT, caller="+31687654321").outcome is Outcome.CLOSED
    assert flow.incoming(business, TUESDAY_NIGHT, caller="").outcome is Outcome.CLOSED


def test_the_paths_walk_the_callback_to_its_end_and_show_the_text_back_after_a_call_that_reached_nobody() -> None:
    business = make_business(menu=(CALLBACK_OPTION,), callback=TEXTS, text_back_after_s=120, overflow=None)
    found = explore(lambda _at: business, date(2026, 11, 23), lambda _speech: 1.0)
    requested = [path for path in found if path.ending is Ending.CALLBACK]
    assert requested and all(path.keys == ("3", "1") for path in requested)
    assert requested[0].events[-1].kind is EventKind.CALLBACK
    nobody = [path for path in found if path.ending is Ending.NOBODY]
    assert nobody and all(path.events[-1].kind is EventKind.TEXT_BACK for path in nobody)
    hung_up = nobody[0].events[-2]
    assert nobody[0].events[-1].at_s == hung_up.at_s + 120
    without = explore(lambda _at: replace(business, text_back_after_s=None), date(2026, 11, 23), lambda _s: 1.0)
    assert not any(event.kind is EventKind.TEXT_BACK for path in without for event in path.events)


def _routes(webhook_params: tuple[tuple[str, str], ...]) -> list[str]:
    return [value for name, value in webhook_params if name == "route"]


def test_a_message_left_after_the_offer_carries_the_route_that_led_to_the_box() -> None:
    """Issue 20 item 7: the offer's webhooks carry the box's route on, so the e-mail about a message left after
    declining (or after no number came) says how the caller came, not "rechtstreeks", before the call log has it."""
    offer = next(step for step in flow.incoming(NIGHT, TUESDAY_NIGHT).steps if isinstance(step, Gather))
    came = tuple(_routes(offer.action.params))
    assert came == ("closed:hours",)
    declined = callback_offer(NIGHT, "2", MOBILE, "closed", came)
    [record] = [step for step in declined.steps if isinstance(step, Record)]
    assert _routes(record.status_callback.params) == ["closed:hours", "callback:declined"]
    started = callback_start(NIGHT, None, "closed", came)
    ask = started.steps[0]
    assert isinstance(ask, Gather) and _routes(ask.action.params) == ["closed:hours"]
    [record] = [step for step in started.steps if isinstance(step, Record)]
    assert _routes(record.status_callback.params) == ["closed:hours", "callback:no-key"]
    answer = callback_number(NIGHT, "12", None, NumberProblem.TOO_SHORT, 2, "closed", came)
    [record] = [step for step in answer.decision.steps if isinstance(step, Record)]
    assert _routes(record.status_callback.params) == ["closed:hours", "callback:too-short"]

"""Golden TwiML: the exact XML Twilio receives for representative decisions."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ivr.callflow import callback, flow
from ivr.callflow.callback import NumberProblem
from ivr.callflow.flow import DialStage, DialStatus
from ivr.callflow.model import DialNumbers, Emergency, Prompt, Voicemail
from ivr.callflow.whisper import CallerRoute, Via
from ivr.twiml import LAST_RESORT_TWIML, TwimlRenderer
from tests.callflow.factory import EMERGENCY, REPEATS, make_business
from tests.callflow.test_callback import CALLBACK_OPTION, MOBILE, TEXTS
from tests.callflow.test_callback import NIGHT as CALLBACK_NIGHT

GOLDEN = Path(__file__).with_name("golden")
RENDERER = TwimlRenderer("https://greetline.test")
TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TUESDAY_NIGHT = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)

# After hours: a number on call behind the emergency key, a closed number, and the closed box behind both.
AFTER_HOURS = make_business(
    closed=replace(
        make_business().closed,
        destination=DialNumbers(("+31209999999",)),
        box=Voicemail(("praktijk@example.nl",), box="closed"),
        emergency=Emergency("1", Prompt("Voor spoed, toets 1."), ("+31612345678",)),
    )
)

DECISIONS = {
    "open_menu": flow.incoming(make_business(menu=(EMERGENCY, REPEATS), info=Prompt("Open tot vijf.")), TUESDAY_10),
    "open_recorded_greeting": flow.incoming(make_business(greeting=Prompt("Hallo", "0f" * 16)), TUESDAY_10),
    "overflow_whisper": flow.dial_ended(make_business(), DialStage.OPERATORS, DialStatus.NO_ANSWER),
    "voicemail": flow.menu_choice(make_business(menu=(EMERGENCY, REPEATS)), "2", 1),
    "confirm_operators": flow.incoming(make_business(confirm=True), TUESDAY_10),
    "confirm_question": flow.confirm_call(make_business(confirm=True)),
    "confirm_accepted": flow.confirmed("1"),
    "confirm_no_key": flow.confirmed(""),
    # The answering service's leg: each way a caller reaches it, and what it hears (the whisper's words per path).
    "overflow_after_key": flow.dial_ended(
        make_business(menu=(EMERGENCY, REPEATS)), DialStage.OPTION, DialStatus.NO_ANSWER, key="1"
    ),
    "closed_to_service": flow.incoming(
        make_business(closed=replace(make_business().closed, destination=DialNumbers(("+31208888888",)))),
        TUESDAY_NIGHT,
    ),
    "closed_emergency_offer": flow.incoming(AFTER_HOURS, TUESDAY_NIGHT),
    "closed_emergency_key": flow.emergency_choice(AFTER_HOURS, "1", Via.HOURS),
    "closed_no_answer_box": flow.dial_ended(AFTER_HOURS, DialStage.CLOSED, DialStatus.NO_ANSWER),
    # Callback requests (issue 23): the offer before the closed box's beep, the number read back, a keyed number
    # refused once, the confirmation, a menu option's redirect, and a blocked caller.
    "callback_offer": flow.incoming(CALLBACK_NIGHT, TUESDAY_NIGHT),
    "callback_read_back": callback.callback_start(CALLBACK_NIGHT, MOBILE, "closed"),
    "callback_too_short": callback.callback_number(
        CALLBACK_NIGHT, "0612", MOBILE, NumberProblem.TOO_SHORT, 1, "closed"
    ).decision,
    "callback_confirmed": callback.callback_number(CALLBACK_NIGHT, "1", MOBILE, MOBILE, 1, "closed").decision,
    "callback_menu_option": flow.menu_choice(make_business(menu=(CALLBACK_OPTION,), callback=TEXTS), "3", 1),
    "blocked": flow.incoming(make_business(blocked=frozenset({"+31612345678"})), TUESDAY_10, "+31612345678"),
    **{
        f"whisper_{name}": flow.whisper(make_business(menu=(EMERGENCY, REPEATS)), route)
        for name, route in {
            "direct": CallerRoute(Via.DIRECT),
            "no_choice": CallerRoute(Via.NO_CHOICE),
            "menu_emergency": CallerRoute(Via.MENU, "1"),
            "menu_key": CallerRoute(Via.MENU, "2"),
            "hours": CallerRoute(Via.HOURS),
            "holiday": CallerRoute(Via.HOLIDAY),
            "period": CallerRoute(Via.PERIOD),
        }.items()
    },
}


@pytest.mark.parametrize("name", sorted(DECISIONS))
def test_golden_twiml(name: str) -> None:
    expected = (GOLDEN / f"{name}.xml").read_text("utf-8").strip()
    assert RENDERER.render(DECISIONS[name].steps) == expected


def test_four_rings_in_the_netherlands_dial_with_a_15_second_timeout_and_dutch_ringback() -> None:
    xml = RENDERER.render(flow.incoming(make_business(rings=4), TUESDAY_10).steps)
    dial = '<Dial action="https://greetline.test/twilio/dial-ended?stage=operators" method="POST" ringTone="nl"'
    assert f'{dial} timeout="15">' in xml


def test_last_resort_is_valid_twiml() -> None:
    assert LAST_RESORT_TWIML.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Say')
    assert LAST_RESORT_TWIML.endswith("<Hangup /></Response>")

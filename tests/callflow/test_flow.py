"""The call flow as data: each case compares the whole list of steps a webhook answers with."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ivr.callflow import flow
from ivr.callflow.flow import DialStage, DialStatus
from ivr.callflow.model import Country, DialNumbers, Language, Prompt, RingMode, Voicemail
from ivr.callflow.steps import Decision, Dial, Gather, Hangup, Hook, Outcome, Play, Record, Say, Webhook
from ivr.callflow.whisper import CallerRoute
from tests.callflow.factory import CHRISTMAS_PERIOD, EMERGENCY, REPEATS, make_business

NL = Language.NL
TUESDAY_10 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TUESDAY_NIGHT = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
CHRISTMAS_DAY = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)


def ended(stage: str, **extra: str) -> Webhook:
    return Webhook(Hook.DIAL_ENDED, (("stage", stage), *sorted(extra.items())))


OPERATORS = Dial(("+31501111111", "+31502222222"), 15, Country.NL, ended("operators"))


def voicemail(box: str, *route: str, rings: int | None = None) -> tuple[object, ...]:
    """The voicemail steps; both recording webhooks name the business and the box the message is for, the route
    that led there and, after an unanswered dial, the ring count."""
    counted = (("rings", str(rings)),) if rings else ()
    params = (("business", "7"), ("box", box), *(("route", label) for label in route), *counted)
    return (
        Say("Spreek uw bericht in.", NL),
        Record(Webhook(Hook.RECORDED, params), Webhook(Hook.RECORDING, params), 120, box=box),
        Say("Tot ziens.", NL),
        Hangup(),
    )


def to_service(*route: tuple[str, str], stage: Webhook | None = None) -> Dial:
    """A dial to the answering service (+31208888888); its whisper URL carries how the caller came."""
    whisper = Webhook(Hook.WHISPER, (("business", "7"), *route))
    return Dial(("+31208888888",), 15, Country.NL, stage or ended("overflow"), whisper=whisper)


OVERFLOW = to_service(("via", "direct"))
MENU_PROMPTS = (Say("Voor spoed, toets 1.", NL), Say("Voor herhaalrecepten, toets 2.", NL))


def test_open_without_menu_greets_then_rings_the_operators() -> None:
    decision = flow.incoming(make_business(), TUESDAY_10)
    assert decision == Decision((Say("Goedemiddag, u spreekt met De Linde.", NL), OPERATORS), "welcome")


def test_open_with_info_and_menu_gathers_during_every_prompt_then_falls_through_to_a_human() -> None:
    business = make_business(info=Prompt("Wij zijn open van acht tot vijf."), menu=(EMERGENCY, REPEATS))
    decision = flow.incoming(business, TUESDAY_10)
    emergency, repeats = MENU_PROMPTS
    # Emergencies come first: the emergency key is heard before the information message, however long it is.
    gather = Gather(
        (
            Say("Goedemiddag, u spreekt met De Linde.", NL),
            emergency,
            Say("Wij zijn open van acht tot vijf.", NL),
            repeats,
        ),
        Webhook(Hook.MENU, (("attempt", "1"),)),
        timeout_s=4,
    )
    assert decision.steps == (gather, OPERATORS)


def test_rendered_greeting_plays_instead_of_say() -> None:
    business = make_business(greeting=Prompt("Goedemiddag", media_id="ab12" * 8))
    assert flow.incoming(business, TUESDAY_10).steps[0] == Play("ab12" * 8)


def test_sequential_operators_ring_one_at_a_time() -> None:
    business = make_business(ring_mode=RingMode.SEQUENTIAL)
    first = flow.incoming(business, TUESDAY_10).steps[-1]
    assert first == Dial(("+31501111111",), 15, Country.NL, ended("operators", index="0"))
    second = flow.dial_ended(business, DialStage.OPERATORS, DialStatus.NO_ANSWER, index=0)
    assert second.steps == (Dial(("+31502222222",), 15, Country.NL, ended("operators", index="1")),)
    last = flow.dial_ended(business, DialStage.OPERATORS, DialStatus.BUSY, index=1)
    assert last.steps == (OVERFLOW,)


CLOSED_CASES = [
    (
        "outside hours: closed greeting and voicemail",
        TUESDAY_NIGHT,
        {},
        (Say("Wij zijn gesloten.", NL), *voicemail("closed", "closed:hours")),
    ),
    (
        "public holiday: the holiday message",
        CHRISTMAS_DAY,
        {},
        (Say("Vandaag is het een feestdag.", NL), *voicemail("closed", "closed:holiday:Eerste kerstdag")),
    ),
    (
        "closed with an emergency number dials it",
        TUESDAY_NIGHT,
        {"closed": replace(make_business().closed, destination=DialNumbers(("+31881234567",)))},
        (Say("Wij zijn gesloten.", NL), Dial(("+31881234567",), 15, Country.NL, ended("closed"))),
    ),
    (
        "closed with nowhere to go ends after the greeting",
        TUESDAY_NIGHT,
        {"closed": replace(make_business().closed, destination=None)},
        (Say("Wij zijn gesloten.", NL), Hangup()),
    ),
    (
        "a holiday period has its own greeting and destination",
        CHRISTMAS_DAY,
        {"periods": (CHRISTMAS_PERIOD,)},
        (
            Say("Feestdagen: u belt de waarneming.", NL),
            Dial(("+31209999999",), 15, Country.NL, ended("closed", period="2026-12-24")),
        ),
    ),
]


@pytest.mark.parametrize(("name", "now", "overrides", "steps"), CLOSED_CASES, ids=[c[0] for c in CLOSED_CASES])
def test_closed(name: str, now: datetime, overrides: dict[str, object], steps: tuple[object, ...]) -> None:
    decision = flow.incoming(make_business(**overrides), now)
    assert decision.steps == steps
    assert decision.outcome is Outcome.CLOSED


MENU = make_business(menu=(EMERGENCY, REPEATS))
MENU_CASES = [
    ("key 1 dials the emergency line", "1", 1, (Dial(("+31612345678",), 15, Country.NL, ended("option", key="1")),)),
    ("key 2 goes to voicemail", "2", 1, voicemail("menu:2", "menu:2")),
    (
        "a wrong key repeats the menu once",
        "9",
        1,
        (Gather((Say("Dat is geen keuze.", NL), *MENU_PROMPTS), Webhook(Hook.MENU, (("attempt", "2"),)), 4), OPERATORS),
    ),
    ("a second wrong key goes to a human", "9", 2, (OPERATORS,)),
    ("keys pressed as a burst count as wrong", "12", 1, None),
]


@pytest.mark.parametrize(("name", "digits", "attempt", "steps"), MENU_CASES, ids=[c[0] for c in MENU_CASES])
def test_menu_choice(name: str, digits: str, attempt: int, steps: tuple[object, ...] | None) -> None:
    decision = flow.menu_choice(MENU, digits, attempt)
    if steps is None:
        assert decision.path == f"menu:wrong:{digits}"
    else:
        assert decision.steps == steps


DIAL_CASES = [
    (DialStage.OPERATORS, DialStatus.COMPLETED, (Hangup(),), Outcome.OPERATOR),
    (DialStage.OPERATORS, DialStatus.NO_ANSWER, (OVERFLOW,), None),
    (DialStage.OPERATORS, DialStatus.BUSY, (OVERFLOW,), None),
    (DialStage.OPERATORS, DialStatus.FAILED, (OVERFLOW,), None),
    (DialStage.OPERATORS, DialStatus.CANCELED, (OVERFLOW,), None),
    # An option's dial_ended without its key (a URL from before keys travelled): nothing chosen to tell.
    (DialStage.OPTION, DialStatus.NO_ANSWER, (OVERFLOW,), None),
    (DialStage.OVERFLOW, DialStatus.COMPLETED, (Hangup(),), Outcome.OVERFLOW),
    (DialStage.OVERFLOW, DialStatus.NO_ANSWER, (Say("Niemand bereikbaar.", NL), Hangup()), Outcome.MISSED),
    (DialStage.CLOSED, DialStatus.COMPLETED, (Hangup(),), Outcome.CLOSED),
    (DialStage.CLOSED, DialStatus.BUSY, (Say("Niemand bereikbaar.", NL), Hangup()), Outcome.MISSED),
]


@pytest.mark.parametrize(("stage", "status", "steps", "outcome"), DIAL_CASES)
def test_dial_ended(stage: DialStage, status: DialStatus, steps: tuple[object, ...], outcome: Outcome | None) -> None:
    decision = flow.dial_ended(make_business(), stage, status)
    assert (decision.steps, decision.outcome) == (steps, outcome)


def test_overflow_to_voicemail() -> None:
    business = make_business(overflow=Voicemail(("praktijk@example.nl",), ("+31612345678",), "overflow"))
    decision = flow.dial_ended(business, DialStage.OPERATORS, DialStatus.NO_ANSWER)
    assert decision.steps == voicemail("overflow", "operators:no-answer>overflow:voicemail", rings=4)
    assert (decision.box, decision.dials) == ("overflow", False)


def test_a_menu_choice_nobody_answered_carries_the_key_and_the_rings_to_the_message() -> None:
    overflow = Voicemail(("praktijk@example.nl",), (), "overflow")
    business = make_business(menu=(EMERGENCY, REPEATS), overflow=overflow)
    decision = flow.dial_ended(business, DialStage.OPTION, DialStatus.NO_ANSWER, key="1")
    assert decision.steps == voicemail("overflow", "menu:1", "option:no-answer>overflow:voicemail", rings=4)
    busy = flow.dial_ended(business, DialStage.OPERATORS, DialStatus.BUSY)
    assert busy.steps == voicemail("overflow", "operators:busy>overflow:voicemail")


def test_a_decision_that_dials_says_so_for_the_call_log() -> None:
    decision = flow.incoming(make_business(), TUESDAY_10)
    assert (decision.dials, decision.box) == (True, None)


def test_a_period_with_voicemail_names_its_own_box() -> None:
    period = replace(CHRISTMAS_PERIOD, destination=Voicemail(("x@example.nl",), box="period:2026-12-24"))
    steps = flow.incoming(make_business(periods=(period,)), CHRISTMAS_DAY).steps
    assert steps == (
        Say("Feestdagen: u belt de waarneming.", NL),
        *voicemail("period:2026-12-24", "period:2026-12-24"),
    )


def test_no_overflow_configured_says_so_and_ends() -> None:
    decision = flow.dial_ended(make_business(overflow=None), DialStage.OPERATORS, DialStatus.NO_ANSWER)
    assert decision.steps == (Say("Niemand bereikbaar.", NL), Hangup())


def test_whisper_tells_the_answering_service_whom_the_call_is_for() -> None:
    assert flow.whisper(make_business()).steps == (Say("Oproep voor De Linde.", NL),)


SERVICE = DialNumbers(("+31208888888",))
MENU_BUSINESS = make_business(menu=(EMERGENCY, REPEATS))
# How the caller reached the answering service, in every situation: the dial, then what the service hears.
ROUTE_CASES = [
    (
        "no menu, nobody answered",
        flow.dial_ended(make_business(), DialStage.OPERATORS, DialStatus.NO_ANSWER),
        (("via", "direct"),),
        "Oproep voor De Linde.",
    ),
    (
        "a menu, no key",
        flow.dial_ended(MENU_BUSINESS, DialStage.OPERATORS, DialStatus.BUSY),
        (("via", "no-choice"),),
        "Oproep voor De Linde, geen keuze.",
    ),
    (
        "the emergency key, its phone not answered",
        flow.dial_ended(MENU_BUSINESS, DialStage.OPTION, DialStatus.NO_ANSWER, key="1"),
        (("via", "menu"), ("key", "1")),
        "Oproep voor De Linde, gekozen: spoed.",
    ),
    (
        "a key whose option dials the service itself",
        flow.menu_choice(make_business(menu=(replace(REPEATS, destination=SERVICE),)), "2", 1),
        (("via", "menu"), ("key", "2")),
        "Oproep voor De Linde, gekozen: toets 2.",
    ),
    (
        "outside opening hours",
        flow.incoming(make_business(closed=replace(make_business().closed, destination=SERVICE)), TUESDAY_NIGHT),
        (("via", "hours"),),
        "Oproep voor De Linde, buiten openingstijden.",
    ),
    (
        "a public holiday",
        flow.incoming(make_business(closed=replace(make_business().closed, destination=SERVICE)), CHRISTMAS_DAY),
        (("via", "holiday"),),
        "Oproep voor De Linde, feestdag.",
    ),
    (
        "a period",
        flow.incoming(make_business(periods=(replace(CHRISTMAS_PERIOD, destination=SERVICE),)), CHRISTMAS_DAY),
        (("via", "period"),),
        "Oproep voor De Linde, tijdelijk gesloten.",
    ),
]


@pytest.mark.parametrize(("case", "decision", "route", "heard"), ROUTE_CASES, ids=[case[0] for case in ROUTE_CASES])
def test_the_answering_service_hears_how_the_caller_came(
    case: str, decision: Decision, route: tuple[tuple[str, str], ...], heard: str
) -> None:
    dial = decision.steps[-1]
    assert isinstance(dial, Dial) and dial.numbers == ("+31208888888",)
    assert dial.whisper == Webhook(Hook.WHISPER, (("business", "7"), *route))
    business = MENU_BUSINESS
    assert flow.whisper(business, CallerRoute.from_params(dict(route))).steps == (Say(heard, NL),)


def test_a_staff_phone_gets_no_whisper_and_a_forged_route_is_a_plain_whisper() -> None:
    closed_to_staff = make_business(closed=replace(make_business().closed, destination=DialNumbers(("+31611111111",))))
    dial = flow.incoming(closed_to_staff, TUESDAY_NIGHT).steps[-1]
    assert isinstance(dial, Dial) and dial.whisper is None
    for params in ({"via": "menu", "key": "12"}, {"via": "loud"}, {}):
        assert flow.whisper(MENU_BUSINESS, CallerRoute.from_params(params)).steps == (Say("Oproep voor De Linde.", NL),)


def test_fallback_dials_known_operators_without_further_webhooks() -> None:
    decision = flow.fallback(("+31501111111",), Prompt("Sorry."), NL, Country.NL)
    assert decision.steps == (Dial(("+31501111111",), 30, Country.NL, None), Say("Sorry.", NL), Hangup())


def test_fallback_without_operators_is_a_clear_message() -> None:
    assert flow.fallback((), Prompt("Sorry."), NL, Country.NL).steps == (Say("Sorry.", NL), Hangup())

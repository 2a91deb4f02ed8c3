"""What a caller hears and where the call goes next, decided from plain data.

Every webhook of a call maps to one function here; each returns a Decision. The state a call carries
between webhooks (which dial ended, which menu attempt) travels in the webhook's parameters.
"""

from datetime import datetime
from enum import StrEnum

from ivr.callflow.model import (
    Business,
    Callback,
    ClosedInstructions,
    Country,
    Destination,
    DialNumbers,
    Language,
    MenuOption,
    Period,
    Prompt,
    RingMode,
    Voicemail,
)
from ivr.callflow.ringing import dial_timeout_s
from ivr.callflow.schedule import Away, Holiday, InPeriod, OutsideHours, Situation, situation
from ivr.callflow.steps import (
    Decision,
    Dial,
    Gather,
    Hangup,
    Hook,
    Outcome,
    Play,
    Record,
    Redirect,
    Say,
    Speech,
    Step,
    Webhook,
)
from ivr.callflow.whisper import CallerRoute, Via

# How long the menu waits for a key after its last prompt before the caller goes to a human.
MENU_WAIT_S = 4
# Voicemail messages longer than this are cut; two minutes is plenty for a callback request.
VOICEMAIL_MAX_LENGTH_S = 120
# When the business cannot be loaded, ring its operators this long (Twilio's own default).
FALLBACK_DIAL_TIMEOUT_S = 30
# A wrong key repeats the menu once; after that the caller goes to a human.
MENU_ATTEMPTS = 2
# How long a staff phone's confirmation waits for 1 after asking; then that phone's leg hangs up.
CONFIRM_WAIT_S = 5
# The key that takes a confirmed call.
CONFIRM_KEY = "1"
# How long the callback offer before a voicemail's beep waits for its key: short, the beep is what most expect.
CALLBACK_OFFER_WAIT_S = 3


class DialStage(StrEnum):
    OPERATORS = "operators"
    OPTION = "option"
    OVERFLOW = "overflow"
    CLOSED = "closed"
    # When closed, the number the emergency key puts the caller through to.
    EMERGENCY = "emergency"


class DialStatus(StrEnum):
    """Twilio's DialCallStatus values (Twilio docs, <Dial> action)."""

    COMPLETED = "completed"
    ANSWERED = "answered"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"


def speak(prompt: Prompt, language: Language) -> Speech:
    return Play(prompt.media_id, prompt.text) if prompt.media_id else Say(prompt.text, language)


def _dial_ended_hook(stage: DialStage, **extra: str) -> Webhook:
    return Webhook(Hook.DIAL_ENDED, (("stage", stage.value), *sorted(extra.items())))


def _business_hook(hook: Hook, business: Business) -> Webhook:
    """For webhooks Twilio sends without the caller's To number (whisper, recording status)."""
    return Webhook(hook, (("business", str(business.id)),))


def _whisper_hook(business: Business, route: CallerRoute) -> Webhook:
    return Webhook(Hook.WHISPER, (("business", str(business.id)), *route.params()))


def _dial(
    business: Business, numbers: tuple[str, ...], action: Webhook | None, route: CallerRoute | None = None
) -> Dial:
    """The answering service hears whom the call is for and how the caller came (`route`); staff phones with
    confirm calls are asked to press 1 before they are put through."""
    if route is not None and set(numbers) & set(business.service):
        leg: Webhook | None = _whisper_hook(business, route)
    else:
        leg = _business_hook(Hook.CONFIRM, business) if business.confirm else None
    return Dial(numbers, dial_timeout_s(business.rings, business.country), business.country, action, leg)


def _operators(business: Business, index: int = 0) -> Dial:
    if business.ring_mode is RingMode.SEQUENTIAL:
        hook = _dial_ended_hook(DialStage.OPERATORS, index=str(index))
        return _dial(business, (business.operators[index],), hook)
    return _dial(business, business.operators, _dial_ended_hook(DialStage.OPERATORS))


def _box_hook(hook: Hook, business: Business, box: Voicemail, route: tuple[str, ...]) -> Webhook:
    """Both recording webhooks name the business and the box, so the message finds its recipients, and the route
    that led there (with the ring count when a dial went unanswered): the e-mail about the message says how the
    caller came without waiting for the call log, which stores the steps a moment later, from any replica."""
    rings = (("rings", str(business.rings)),) if any(":no-answer" in label for label in route) else ()
    return Webhook(hook, (("business", str(business.id)), ("box", box.box), *route_params(route), *rings))


def route_params(route: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The route as query parameters, for a webhook between the box's route and its <Record> (the callback offer
    and its number): a message left after them still carries how the caller came."""
    return tuple(("route", label) for label in route)


def voicemail_steps(
    business: Business, box: Voicemail, route: tuple[str, ...], *, offer: bool = True
) -> tuple[Step, ...]:
    """`route`: the path labels that led to the box, the deciding one last ("menu:2", "option:no-answer>...").

    A box that offers a callback asks for a key before the beep: the prompts play inside a <Gather>, and a caller who
    presses nothing goes on to the beep (`offer`: False once the caller declined)."""
    prompt = speak(business.texts.voicemail, business.language)
    lead: tuple[Step, ...] = (prompt,)
    if offer and box.offer_callback and business.callback is not None:
        action = Webhook(Hook.CALLBACK, (("box", box.box), ("offer", "1"), *route_params(route)))
        lead = (Gather((prompt, speak(business.callback.offer, business.language)), action, CALLBACK_OFFER_WAIT_S),)
    return (
        *lead,
        Record(
            _box_hook(Hook.RECORDED, business, box, route),
            _box_hook(Hook.RECORDING, business, box, route),
            VOICEMAIL_MAX_LENGTH_S,
            box=box.box,
        ),
        speak(business.texts.goodbye, business.language),
        Hangup(),
    )


def _go_to(
    business: Business, destination: Destination | None, dial_ended: Webhook, route: CallerRoute, path: str
) -> tuple[Step, ...]:
    if isinstance(destination, DialNumbers):
        return (_dial(business, destination.numbers, dial_ended, route),)
    if isinstance(destination, Voicemail):
        return voicemail_steps(business, destination, (path,))
    if isinstance(destination, Callback):
        return (Redirect(Webhook(Hook.CALLBACK)),)
    return (Hangup(),)


def _overflow(business: Business, route: CallerRoute, came: tuple[str, ...], ended: str) -> Decision:
    """`came`: the path labels before the dial that ended (a menu choice); `ended`: how it ended ("operators:busy>"),
    the prefix of this decision's label in the call log."""
    overflow = business.overflow
    if isinstance(overflow, DialNumbers):
        dial = Dial(
            overflow.numbers,
            dial_timeout_s(business.rings, business.country),
            business.country,
            _dial_ended_hook(DialStage.OVERFLOW),
            whisper=_whisper_hook(business, route),
        )
        return Decision((dial,), "overflow:dial")
    if isinstance(overflow, Voicemail):
        path = "overflow:voicemail"
        return Decision(voicemail_steps(business, overflow, (*came, ended + path)), path)
    return _unavailable(business, "overflow:none")


def _unavailable(business: Business, path: str) -> Decision:
    steps = (speak(business.texts.unavailable, business.language), Hangup())
    return Decision(steps, path, Outcome.MISSED)


def _menu_gather(business: Business, lead: tuple[Speech, ...], attempt: int, info: tuple[Speech, ...] = ()) -> Gather:
    """Emergencies come first: their keys are heard before the information message, the other options after it."""
    urgent = tuple(speak(option.prompt, business.language) for option in business.menu if option.emergency)
    others = tuple(speak(option.prompt, business.language) for option in business.menu if not option.emergency)
    action = Webhook(Hook.MENU, (("attempt", str(attempt)),))
    return Gather(lead + urgent + info + others, action, MENU_WAIT_S)


def closed_part(business: Business, period: str = "") -> ClosedInstructions | Period:
    """What applies while closed: the period starting on the day `period` names, else closed hours (holidays too).

    A period removed during the call falls back to closed hours: the caller still gets somewhere."""
    found = (candidate for candidate in business.periods if candidate.first_day.isoformat() == period)
    return next(found, business.closed) if period else business.closed


def _period_param(period: str) -> dict[str, str]:
    return {"period": period} if period else {}


def _closed_steps(business: Business, message: Prompt, via: Via, path: str, period: str = "") -> tuple[Step, ...]:
    """The message, then the part's route; with an emergency option the message and its prompt play inside a
    <Gather>, so a key asked for anywhere in them acts at once, and a caller who presses nothing goes on. `path`:
    the call log's label of this answer, carried to a voicemail box the route ends in."""
    part = closed_part(business, period)
    dial_ended = _dial_ended_hook(DialStage.CLOSED, **_period_param(period))
    route = _go_to(business, part.destination, dial_ended, CallerRoute(via), path)
    heard = speak(message, business.language)
    if part.emergency is None:
        return (heard, *route)
    action = Webhook(Hook.EMERGENCY, (("via", via.value), *_period_param(period).items()))
    return (Gather((heard, speak(part.emergency.prompt, business.language)), action, MENU_WAIT_S), *route)


def incoming(business: Business, now: datetime, caller: str = "") -> Decision:
    """The first answer to a call: welcome, emergency options, information, the other options, then a human.
    `caller`: the caller's number ("" when withheld); one on the blocked list hears the blocked text only."""
    if is_blocked(business, caller):
        return blocked_answer(business)
    return incoming_in(business, situation(business, now))


def is_blocked(business: Business, caller: str) -> bool:
    return bool(caller) and caller in business.blocked


def blocked_answer(business: Business) -> Decision:
    return Decision((speak(business.texts.blocked, business.language), Hangup()), "blocked", Outcome.BLOCKED)


def incoming_in(business: Business, current: Situation) -> Decision:
    """`incoming` in the business's situation: the same for every caller while the situation lasts (a blocked
    caller is answered before it, by `incoming`)."""
    if isinstance(current, InPeriod):
        period = current.period
        path = f"period:{period.first_day.isoformat()}"
        steps = _closed_steps(business, period.greeting, Via.PERIOD, path, period.first_day.isoformat())
        return Decision(steps, path, Outcome.CLOSED)
    if isinstance(current, Holiday | OutsideHours):
        holiday = isinstance(current, Holiday)
        message = business.texts.holiday if holiday else business.closed.greeting
        reason = f"closed:holiday:{current.name}" if isinstance(current, Holiday) else "closed:hours"
        steps = _closed_steps(business, message, Via.HOLIDAY if holiday else Via.HOURS, reason)
        return Decision(steps, reason, Outcome.CLOSED)
    welcome = (speak(business.greeting, business.language),)
    info = (speak(business.info, business.language),) if business.info is not None else ()
    if isinstance(current, Away) and isinstance(business.overflow, DialNumbers):
        # The owner is away: no staff phone rings and no menu is offered, the service takes the call at once.
        away = _overflow(business, CallerRoute(Via.DIRECT), (), "away>")
        return Decision((*welcome, *info, *away.steps), "away>" + away.path)
    if business.menu:
        gather = _menu_gather(business, welcome, attempt=1, info=info)
        return Decision((gather, _operators(business)), "welcome+menu")
    return Decision((*welcome, *info, _operators(business)), "welcome")


def _option(business: Business, digits: str) -> MenuOption | None:
    return next((option for option in business.menu if option.key == digits), None)


def menu_choice(business: Business, digits: str, attempt: int) -> Decision:
    """The caller pressed a key (or keys) in the menu."""
    option = _option(business, digits)
    if option is not None:
        hook = _dial_ended_hook(DialStage.OPTION, key=option.key)
        path = f"menu:{option.key}"
        steps = _go_to(business, option.destination, hook, CallerRoute(Via.MENU, option.key), path)
        return Decision(steps, path)
    if attempt < MENU_ATTEMPTS and business.menu:
        retry = (speak(business.texts.menu_retry, business.language),)
        gather = _menu_gather(business, retry, attempt + 1)
        return Decision((gather, _operators(business)), f"menu:wrong:{digits}")
    return Decision((_operators(business),), f"menu:wrong:{digits}")


def emergency_choice(business: Business, digits: str, via: Via, period: str = "") -> Decision:
    """When closed, the caller pressed a key during the message: the emergency key puts them through to the
    number on call; any other key goes on as if none was pressed."""
    part = closed_part(business, period)
    found = part.emergency
    if found is not None and digits == found.key:
        hook = _dial_ended_hook(DialStage.EMERGENCY, **_period_param(period))
        return Decision((_dial(business, found.numbers, hook, CallerRoute(via)),), f"emergency:{digits}")
    dial_ended = _dial_ended_hook(DialStage.CLOSED, **_period_param(period))
    path = f"emergency:wrong:{digits}"
    return Decision(_go_to(business, part.destination, dial_ended, CallerRoute(via), path), path)


def dial_ended(
    business: Business, stage: DialStage, status: DialStatus, index: int = 0, key: str = "", period: str = ""
) -> Decision:
    """A <Dial> finished: answered and done, or on to the next phone, the overflow, or a message.

    `key`: the menu key whose option was dialled (stage option), told on to the answering service; `period`:
    the first day of the period whose number was dialled (stages closed and emergency)."""
    answered = status in (DialStatus.COMPLETED, DialStatus.ANSWERED)
    if answered:
        outcome = {
            DialStage.OPERATORS: Outcome.OPERATOR,
            DialStage.OPTION: Outcome.OPERATOR,
            DialStage.OVERFLOW: Outcome.OVERFLOW,
            DialStage.CLOSED: Outcome.CLOSED,
            DialStage.EMERGENCY: Outcome.CLOSED,
        }[stage]
        return Decision((Hangup(),), f"{stage.value}:{status.value}", outcome)
    if stage is DialStage.OPERATORS and business.ring_mode is RingMode.SEQUENTIAL:
        following = index + 1
        if following < len(business.operators):
            return Decision((_operators(business, following),), f"operators:{index}:{status.value}")
    if stage in (DialStage.OPERATORS, DialStage.OPTION):
        route = _route_to_overflow(business, stage, key)
        came = (f"menu:{route.key}",) if route.via is Via.MENU else ()
        ended = f"{stage.value}:{status.value}>"
        overflow = _overflow(business, route, came, ended)
        return Decision(overflow.steps, ended + overflow.path, overflow.outcome)
    box = closed_part(business, period).box if stage in (DialStage.CLOSED, DialStage.EMERGENCY) else None
    if box is not None:  # closed: nobody answered the number, so the caller leaves a message instead
        path = f"{stage.value}:{status.value}>voicemail:{box.box}"
        return Decision(voicemail_steps(business, box, (path,)), path)
    return _unavailable(business, f"{stage.value}:{status.value}")


def _route_to_overflow(business: Business, stage: DialStage, key: str) -> CallerRoute:
    if stage is DialStage.OPTION and _option(business, key) is not None:
        return CallerRoute(Via.MENU, key)
    return CallerRoute(Via.NO_CHOICE if business.menu else Via.DIRECT)


def whisper(business: Business, route: CallerRoute | None = None) -> Decision:
    """What the answering service hears before it is bridged: whom the call is for and what the caller did."""
    route = route or CallerRoute(Via.DIRECT)
    prompt = dict(business.whispers).get(route.label, business.texts.whisper)
    return Decision((speak(prompt, business.language),), f"whisper:{route.label}")


def confirm_call(business: Business) -> Decision:
    """A staff phone answered: ask before connecting. No key (a mobile's own voicemail) hangs up this phone
    only; the other phones keep ringing and the call overflows after the rings staff chose."""
    ask = Gather(
        (speak(business.texts.confirm, business.language),),
        _business_hook(Hook.CONFIRMED, business),
        CONFIRM_WAIT_S,
    )
    return Decision((ask, Hangup()), "confirm")


def confirmed(digits: str) -> Decision:
    """The staff phone's answer: 1 connects the caller (an empty answer ends the <Number url>), else hang up."""
    if digits == CONFIRM_KEY:
        return Decision((), "confirm:accepted")
    return Decision((Hangup(),), "confirm:refused")


def recorded(business: Business) -> Decision:
    return Decision(
        (speak(business.texts.goodbye, business.language), Hangup()), "voicemail:recorded", Outcome.VOICEMAIL
    )


def unknown_number(message: Prompt, language: Language) -> Decision:
    steps = (speak(message, language), Hangup())
    return Decision(steps, "unknown-number", Outcome.UNKNOWN_NUMBER)


def fallback(operators: tuple[str, ...], message: Prompt, language: Language, country: Country) -> Decision:
    """Something inside failed: still get the caller to a human if we know who, else a clear message."""
    closing = (speak(message, language), Hangup())
    if not operators:
        return Decision(closing, "fallback:message", Outcome.FALLBACK)
    # No action URL: whatever happens to this dial, no further webhook can fail; the message follows it.
    dial = Dial(operators, FALLBACK_DIAL_TIMEOUT_S, country, action=None)
    return Decision((dial, *closing), "fallback:operators", Outcome.FALLBACK)

"""Every way through a call, walked through the real call flow.

Each situation of a week (open, closed, each holiday that closes the business, each period), each key (none,
each option, a wrong one) and each outcome of every dial (answered, no answer, busy, failed). The checker
(ivr.document.lint) reads the paths; nothing here knows what is good or bad.

Times are as the caller hears them: recordings take `seconds(speech)`, ringing takes the dial's timeout plus
what Twilio adds, and an answered dial counts as answered at its last ring (the worst a caller can meet).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from ivr.callflow import callback, flow
from ivr.callflow.callback import NumberProblem, SpokenNumber
from ivr.callflow.flow import DialStage, DialStatus
from ivr.callflow.model import Business, Prompt
from ivr.callflow.ringing import ringing_s
from ivr.callflow.schedule import Away, Holiday, InPeriod, Open, Situation, closing_holiday, situation
from ivr.callflow.steps import Decision, Dial, Gather, Hangup, Hook, Outcome, Play, Record, Redirect, Say, Speech, Step
from ivr.callflow.whisper import CallerRoute, Via

# How long a recording or spoken text takes, in seconds.
Seconds = Callable[[Speech], float]
# The business as the flow sees it at a moment (texts with a salutation differ by the part of the day).
BusinessAt = Callable[[datetime], Business]

# Moments of each day tried for the week: every half hour, plus each opening and closing time.
SAMPLE_EVERY_MIN = 30
# Holidays that close the business are looked for this far ahead.
HOLIDAY_HORIZON_DAYS = 366
# The hour at which whole-day situations (holidays, periods) are tried.
DAYTIME = time(10, 0)
# How long the away spell of the checker's away scene lasts (any length: the flow does not depend on it).
AWAY_SPELL = timedelta(hours=1)
# A path longer than this is a loop in the flow; real paths have fewer than 30 events.
MAX_EVENTS = 80
# "A wrong key" is the first of these the menu does not use.
WRONG_KEYS = "9087654321*#"
# The phone outcomes tried after every dial that was not answered.
NOT_ANSWERED = (DialStatus.NO_ANSWER, DialStatus.BUSY, DialStatus.FAILED)


class Ending(StrEnum):
    HUMAN = "human"
    MESSAGE = "message"
    NOBODY = "nobody"
    # The caller confirmed a number to be called back on (ivr.callflow.callback).
    CALLBACK = "callback"


class EventKind(StrEnum):
    HEARS = "hears"
    PRESSES = "presses"
    WRONG_KEY = "wrong key"
    NO_KEY = "no key"
    RINGS = "rings"
    ANSWERED = "answered"
    NOT_ANSWERED = "not answered"
    RECORDS = "records"
    HANGS_UP = "hangs up"
    CALLBACK = "callback"
    # After a call that reached nobody: the text back to a mobile caller (text_back:), `after_s` after the call.
    TEXT_BACK = "text back"


# The caller walked through a callback request: a mobile number read back (an example range, 06 12 34 56 78).
EXAMPLE_CALLER = SpokenNumber("+31612345678", ("06", "12", "34", "56", "78"))


@dataclass(frozen=True)
class Event:
    kind: EventKind
    at_s: float
    # The words heard, the key pressed, or the numbers rung.
    text: str = ""
    # A dial that was not answered: the outcomes that all lead on the same way.
    statuses: tuple[DialStatus, ...] = ()
    # A dial: how long it rings before Twilio gives up, and what the flow calls it (operators, overflow…).
    ringing_s: float = 0.0
    stage: DialStage | None = None


@dataclass(frozen=True)
class Scene:
    """A situation a caller can meet, at a local moment where it holds."""

    situation: Situation
    local: datetime


@dataclass(frozen=True)
class CallPath:
    scene: Scene
    events: tuple[Event, ...]
    ending: Ending

    @property
    def human_after_s(self) -> float | None:
        answered = [event.at_s for event in self.events if event.kind is EventKind.ANSWERED]
        return answered[0] if answered else None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(event.text for event in self.events if event.kind is EventKind.PRESSES)


def _words(speech: Speech) -> str:
    return speech.text


def _spoken(steps: tuple[Step, ...]) -> list[Speech]:
    spoken: list[Speech] = []
    for step in steps:
        if isinstance(step, Say | Play):
            spoken.append(step)
        elif isinstance(step, Gather):
            spoken += step.prompts
    return spoken


@dataclass(frozen=True)
class _Walker:
    business: Business
    seconds: Seconds
    scene: Scene

    def _end(self, events: tuple[Event, ...], ending: Ending) -> CallPath:
        after_s = self.business.text_back_after_s
        if ending is Ending.NOBODY and after_s is not None and events:
            events = (*events, Event(EventKind.TEXT_BACK, events[-1].at_s + after_s))
        return CallPath(self.scene, events, ending)

    def walk(self, steps: tuple[Step, ...], events: tuple[Event, ...], at_s: float) -> Iterator[CallPath]:
        if len(events) > MAX_EVENTS:
            yield self._end(events, Ending.NOBODY)
            return
        for position, step in enumerate(steps):
            rest = steps[position + 1 :]
            if isinstance(step, Say | Play):
                events += (Event(EventKind.HEARS, at_s, _words(step)),)
                at_s += self.seconds(step)
            elif isinstance(step, Gather):
                yield from self._gather(step, rest, events, at_s)
                return
            elif isinstance(step, Dial):
                yield from self._dial(step, rest, events, at_s)
                return
            elif isinstance(step, Record):
                yield self._end((*events, Event(EventKind.RECORDS, at_s)), Ending.MESSAGE)
                return
            elif isinstance(step, Redirect):
                yield from self.walk(callback.callback_start(self.business, EXAMPLE_CALLER).steps, events, at_s)
                return
            elif isinstance(step, Hangup):
                break
        # A hang-up, or the end of the TwiML (where Twilio hangs up too).
        yield self._end((*events, Event(EventKind.HANGS_UP, at_s)), Ending.NOBODY)

    def _offered(self, gather: Gather) -> tuple[list[tuple[str, Prompt]], Callable[[str], Decision]]:
        """The keys a <Gather> takes, each with the prompt that offers it, and what pressing a key decides."""
        business, params = self.business, dict(gather.action.params)
        box, texts = params.get("box", ""), business.callback
        came = tuple(value for name, value in gather.action.params if name == "route")
        if gather.action.hook is Hook.CALLBACK and texts is not None:  # the offer before a voicemail's beep
            return [(callback.OFFER_KEY, texts.offer)], lambda key: callback.callback_offer(
                business, key, EXAMPLE_CALLER, box, came
            )
        if gather.action.hook is Hook.CALLBACK_NUMBER and texts is not None:  # 1 confirms the number read back
            attempt = int(params.get("attempt", "1"))
            return (
                [(callback.CONFIRM_KEY, texts.your_number)],
                lambda key: (
                    callback.callback_number(
                        business, key, EXAMPLE_CALLER, NumberProblem.NOT_A_NUMBER, attempt, box, came
                    ).decision
                ),
            )
        if gather.action.hook is Hook.EMERGENCY:
            via, period = Via(params.get("via", Via.HOURS.value)), params.get("period", "")
            found = flow.closed_part(business, period).emergency
            offered = [(found.key, found.prompt)] if found is not None else []
            return offered, lambda key: flow.emergency_choice(business, key, via, period)
        attempt = int(params.get("attempt", "1"))
        offered = [(option.key, option.prompt) for option in business.menu]
        return offered, lambda key: flow.menu_choice(business, key, attempt)

    def _gather(
        self, gather: Gather, rest: tuple[Step, ...], events: tuple[Event, ...], at_s: float
    ) -> Iterator[CallPath]:
        business = self.business
        offered, choose = self._offered(gather)
        heard: list[Event] = []
        heard_by_s: list[float] = []
        for speech in gather.prompts:
            heard.append(Event(EventKind.HEARS, at_s, _words(speech)))
            at_s += self.seconds(speech)
            heard_by_s.append(at_s)
        for key, prompt in offered:
            # The caller presses as soon as the option's own prompt has been heard.
            spoken = flow.speak(prompt, business.language)
            index = next((i for i, said in enumerate(gather.prompts) if said == spoken), len(heard) - 1)
            pressed_at_s = heard_by_s[index]
            pressed = (*events, *heard[: index + 1], Event(EventKind.PRESSES, pressed_at_s, key))
            decided = choose(key)
            if decided.outcome is Outcome.CALLBACK:
                yield self._end((*pressed, Event(EventKind.CALLBACK, pressed_at_s)), Ending.CALLBACK)
                continue
            yield from self.walk(decided.steps, pressed, pressed_at_s)
        used = {key for key, _prompt in offered}
        wrong = next(key for key in WRONG_KEYS if key not in used)
        wrong_events = (*events, *heard, Event(EventKind.WRONG_KEY, at_s, wrong))
        yield from self.walk(choose(wrong).steps, wrong_events, at_s)
        waited_s = at_s + gather.timeout_s
        yield from self.walk(rest, (*events, *heard, Event(EventKind.NO_KEY, waited_s)), waited_s)

    def _dial(self, dial: Dial, rest: tuple[Step, ...], events: tuple[Event, ...], at_s: float) -> Iterator[CallPath]:
        business = self.business
        numbers = ", ".join(dial.numbers)
        rings_s = float(ringing_s(dial.timeout_s))
        params = dict(dial.action.params) if dial.action is not None else {}
        stage = DialStage(params["stage"]) if "stage" in params else None
        rung = (*events, Event(EventKind.RINGS, at_s, numbers, ringing_s=rings_s, stage=stage))
        answered_s = at_s + rings_s
        if dial.whisper is not None:
            # The answering phone hears whom the call is for (and, with confirm calls, presses 1 after the
            # question) before the caller is put through.
            route = CallerRoute.from_params(dict(dial.whisper.params))
            asked = flow.confirm_call(business) if dial.whisper.hook is Hook.CONFIRM else flow.whisper(business, route)
            answered_s += sum(self.seconds(speech) for speech in _spoken(asked.steps))
        yield self._end((*rung, Event(EventKind.ANSWERED, answered_s, numbers)), Ending.HUMAN)
        if stage is None:
            # No webhook after this dial: whatever happened, the rest of the TwiML follows.
            ended = Event(EventKind.NOT_ANSWERED, at_s + rings_s, statuses=NOT_ANSWERED)
            yield from self.walk(rest, (*rung, ended), at_s + rings_s)
            return
        index, key, period = int(params.get("index", "0")), params.get("key", ""), params.get("period", "")
        # Outcomes that lead on the same way are one path: walked once, at the slowest of them.
        same_way: dict[tuple[Step, ...], list[DialStatus]] = {}
        for status in NOT_ANSWERED:
            decided = flow.dial_ended(business, stage, status, index, key, period)
            same_way.setdefault(decided.steps, []).append(status)
        for steps, statuses in same_way.items():
            ended_s = at_s + (rings_s if DialStatus.NO_ANSWER in statuses else 0.0)
            ended = Event(EventKind.NOT_ANSWERED, ended_s, statuses=tuple(statuses))
            yield from self.walk(steps, (*rung, ended), ended_s)


def _situation_key(found: Situation) -> tuple[str, str]:
    if isinstance(found, InPeriod):
        return ("period", found.period.first_day.isoformat())
    if isinstance(found, Holiday):
        return ("holiday", found.name)
    if isinstance(found, Away):
        return ("away", "")
    return ("open", "") if isinstance(found, Open) else ("closed", "")


def _day_moments(business: Business, day: date) -> list[time]:
    every = [time(minute // 60, minute % 60) for minute in range(0, 24 * 60, SAMPLE_EVERY_MIN)]
    if business.hours is None:
        return every
    edges = [edge for span in business.hours.by_weekday[day.weekday()] for edge in (span.start, span.end)]
    return sorted(set(every) | {edge for edge in edges if edge != time.max})


def scenes(business_at: BusinessAt, first_day: date) -> list[Scene]:
    """One scene per distinct situation (and way the business sounds) in the week from `first_day`, then each
    holiday that closes the business in the year ahead, then each period not yet over."""
    zone = ZoneInfo(business_at(datetime.combine(first_day, DAYTIME, UTC)).timezone)
    found: list[tuple[tuple[str, str], Business, Scene]] = []

    def consider(local: datetime) -> None:
        business = business_at(local)
        current = situation(business, local)
        key = _situation_key(current)
        if not any(key == seen_key and business == seen for seen_key, seen, _scene in found):
            found.append((key, business, Scene(current, local)))

    week = [first_day + timedelta(days=offset) for offset in range(7)]
    for day in week:
        for moment in _day_moments(business_at(datetime.combine(day, DAYTIME, zone)), day):
            consider(datetime.combine(day, moment, zone))
    base = business_at(datetime.combine(first_day, DAYTIME, zone))
    for offset in range(HOLIDAY_HORIZON_DAYS):
        day = first_day + timedelta(days=offset)
        if closing_holiday(base, day) is not None:
            consider(datetime.combine(day, DAYTIME, zone))
    for period in base.periods:
        if period.last_day >= first_day:
            consider(datetime.combine(max(period.first_day, first_day), DAYTIME, zone))
    first_open = next((scene for _key, _business, scene in found if isinstance(scene.situation, Open)), None)
    if base.away_to_service and first_open is not None:
        # calendar: {when_away: service}: the owner's calendar says away at a time the business is open.
        found.append((("away", ""), base, Scene(Away(first_open.local + AWAY_SPELL), first_open.local)))
    return [scene for _key, _business, scene in found]


def explore(business_at: BusinessAt, first_day: date, seconds: Seconds) -> list[CallPath]:
    """Every path a caller can take in the week from `first_day` (and on the holidays and periods ahead)."""
    paths: list[CallPath] = []
    for scene in scenes(business_at, first_day):
        business = business_at(scene.local)
        walker = _Walker(business, seconds, scene)
        paths += walker.walk(flow.incoming_in(business, scene.situation).steps, (), 0.0)
    return paths

"""The checker's reading of every path a caller can take (ivr.callflow.paths): where a path fails a caller.

Each finding names one path in the business's language; paths that fail the same way at the same place are
one finding ("and N more paths like it"), and a time is reported at its worst.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Protocol

from ivr.callflow.flow import DialStage
from ivr.callflow.model import Business, Country
from ivr.callflow.paths import CallPath, Ending, EventKind, Seconds, explore
from ivr.callflow.ringing import RING_CYCLE_S
from ivr.callflow.schedule import Holiday, InPeriod, Open
from ivr.callflow.steps import Play, Speech
from ivr.document.codes import Code
from ivr.document.convert import to_business
from ivr.document.findings import Finding, Level
from ivr.document.model import BusinessDocument, Closed, Route
from ivr.document.path_words import PathWords, path_words
from ivr.errors import Value
from prompts import PartOfDay, part_of_day

# Dutch GP practices must reach an emergency caller within 30 s (NHG-Standaard Telefonische triage); we hold
# every business to it for the emergency key and the human behind it.
MAX_SECONDS_TO_HUMAN = 30.0


@dataclass
class _Collected:
    """Findings of one kind at one place: the first path that shows it, how many more, the worst time."""

    code: Code
    level: Level
    where: str
    message: Callable[[str, float, int], str]
    # Values of the finding beyond the path, the time and the count (the ring count behind a time).
    values: Mapping[str, Value] = field(default_factory=dict)
    first: str = ""
    worst_s: float = 0.0
    more: int = 0
    paths: set[str] = field(default_factory=set)

    def add(self, described: str, seconds: float = 0.0) -> None:
        if described in self.paths:
            return
        self.paths.add(described)
        if not self.first or seconds > self.worst_s:
            if self.first:
                self.more += 1
            self.first, self.worst_s = described, max(seconds, self.worst_s)
        else:
            self.more += 1

    def finding(self) -> Finding:
        values = {"path": self.first, "seconds": round(self.worst_s), "more": self.more, **self.values}
        message = self.message(self.first, self.worst_s, self.more)
        return Finding(self.code, self.where, message, values, level=self.level)


def _and_more(more: int) -> str:
    return f" (and {more} more path(s) like it)" if more else ""


def business_at_for(document: BusinessDocument) -> Callable[[datetime], Business]:
    @cache
    def by_part(part: PartOfDay) -> Business:
        return to_business(document, 0, part_of_day=part)

    def business_at(local: datetime) -> Business:
        return by_part(part_of_day(local.hour))

    return business_at


def _places(document: BusinessDocument, business_at: Callable[[datetime], Business]) -> dict[str, str]:
    """Where in the document each text a caller hears comes from (every part of the day)."""
    places: dict[str, str] = {}
    for hour in (9, 14, 20):
        business = business_at(datetime(2026, 1, 5, hour))
        holiday_place = "closed.holiday" if document.closed and document.closed.holiday else "holidays"
        places.setdefault(business.texts.holiday.text, holiday_place)
        places.setdefault(business.closed.greeting.text, "closed.greeting" if document.closed else "closed")
        for index, period in enumerate(business.periods):
            places.setdefault(period.greeting.text, f"periods[{index}].greeting")
            if period.emergency is not None:
                places.setdefault(period.emergency.prompt.text, f"periods[{index}].emergency.prompt")
        if business.closed.emergency is not None:
            places.setdefault(business.closed.emergency.prompt.text, "closed.emergency.prompt")
        places.setdefault(business.greeting.text, "greeting")
        if business.info is not None:
            places.setdefault(business.info.text, "info")
        for index, option in enumerate(business.menu):
            places.setdefault(option.prompt.text, f"menu[{index}].prompt")
    return places


def _scene_place(path: CallPath, document: BusinessDocument) -> str:
    found = path.scene.situation
    if isinstance(found, InPeriod):
        index = next((i for i, period in enumerate(document.periods) if period.start == found.period.first_day), 0)
        return f"periods[{index}]"
    return "holidays" if isinstance(found, Holiday) else "closed"


def path_findings(
    document: BusinessDocument,
    seconds: Seconds,
    first_day: date,
    emergency_keys: Mapping[str, int],
) -> list[Finding]:
    """`emergency_keys`: the menu keys of emergency options, with their place in the menu."""
    business_at = business_at_for(document)
    words = path_words(document.language)
    places = _places(document, business_at)
    collected: dict[tuple[Code, str], _Collected] = {}

    def collect(
        code: Code,
        level: Level,
        where: str,
        message: Callable[[str, float, int], str],
        values: Mapping[str, Value] | None = None,
    ) -> _Collected:
        return collected.setdefault((code, where), _Collected(code, level, where, message, values or {}))

    paths = explore(business_at, first_day, seconds)
    scenes_served: dict[str, bool] = {}
    for path in paths:
        described = words.describe(path)
        _message_without_record(path, words, places, described, collect)
        open_now = isinstance(path.scene.situation, Open)
        if open_now and path.ending is Ending.NOBODY and not _rang_overflow(path):
            collect(Code.NOBODY_ANSWERS, Level.WARNING, "overflow", _nobody_message).add(described)
        if isinstance(path.scene.situation, Holiday | InPeriod):
            place = _scene_place(path, document)
            scenes_served[place] = scenes_served.get(place, False) or path.ending is not Ending.NOBODY
            if not scenes_served[place]:
                collect(Code.NOWHERE_TO_GO, Level.WARNING, place, _nowhere_message).add(described)
        if open_now:
            _timings(path, document, emergency_keys, described, collect)
        else:
            _closed_dial_hangs_up(path, document, described, collect)
    # A holiday or period where some path does reach someone has somewhere to go.
    for code, where in list(collected):
        if code is Code.NOWHERE_TO_GO and scenes_served.get(where):
            del collected[(code, where)]
    return [found.finding() for found in collected.values()]


def _rang_overflow(path: CallPath) -> bool:
    """An answering service that does not answer is beyond what the document can fix."""
    return any(event.kind is EventKind.RINGS and event.stage is DialStage.OVERFLOW for event in path.events)


class Collect(Protocol):
    def __call__(
        self,
        code: Code,
        level: Level,
        where: str,
        message: Callable[[str, float, int], str],
        values: Mapping[str, Value] | None = None,
    ) -> _Collected: ...


def _message_without_record(
    path: CallPath, words: PathWords, places: dict[str, str], described: str, collect: Collect
) -> None:
    if path.ending in (Ending.HUMAN, Ending.CALLBACK):  # someone answered (and takes the message), or calls back
        return
    for position, event in enumerate(path.events):
        if event.kind is EventKind.HEARS and words.asks_for_message(event.text):
            later = path.events[position + 1 :]
            if not any(following.kind is EventKind.RECORDS for following in later):
                where = places.get(event.text, "document")
                collect(Code.MESSAGE_NOT_RECORDED, Level.ERROR, where, _message_message).add(described)
            return


def _closed_part_place(path: CallPath, document: BusinessDocument) -> tuple[str, Route]:
    """Where the route of a closed scene stands: a period's, else closed's (also on holidays)."""
    found = path.scene.situation
    if isinstance(found, InPeriod):
        index = next((i for i, period in enumerate(document.periods) if period.start == found.period.first_day), 0)
        return f"periods[{index}]", document.periods[index]
    return "closed", document.closed or Closed()


def _closed_dial_hangs_up(path: CallPath, document: BusinessDocument, described: str, collect: Collect) -> None:
    """When closed, a number nobody answers should lead to a message box, not to a hang-up."""
    if path.ending is not Ending.NOBODY:
        return
    rung = [event for event in path.events if event.kind is EventKind.RINGS]
    if not rung or rung[-1].stage not in (DialStage.CLOSED, DialStage.EMERGENCY):
        return
    part, route = _closed_part_place(path, document)
    numbers = rung[-1].text
    if rung[-1].stage is DialStage.EMERGENCY:
        # The emergency option has no box of its own: its part's box takes what its number does not answer.
        where, fix = f"{part}.emergency", f"add voicemail: {{email: [...]}} to {part}: its box takes the call then"
    elif route.dial is not None:
        where, fix = f"{part}.dial", "add voicemail: {email: [...]} beside dial: there, and a message is taken instead"
    else:
        # The number is the overflow's, rung because closed: has no route of its own; a voicemail: written alone
        # there would replace that number, not follow it.
        where = part
        box = "voicemail: {email: [...]}"
        fix = f"write {part}: {{dial: [{numbers}], {box}}}: the number rings, then a message is taken"
    collect(Code.HANGS_UP_UNANSWERED, Level.WARNING, where, _hangs_up_message(fix), {"numbers": numbers}).add(described)


def _hangs_up_message(fix: str) -> Callable[[str, float, int], str]:
    def message(path: str, _seconds: float, more: int) -> str:
        return f"{path}: when nobody answers, the caller is hung up on with no message box{_and_more(more)}; {fix}"

    return message


def _message_message(path: str, _seconds: float, more: int) -> str:
    return (
        f"{path}: the caller is asked to leave a message, but nothing records it{_and_more(more)}; "
        "add voicemail: {email: [...]} after this text, or say where to call instead"
    )


def _nobody_message(path: str, _seconds: float, more: int) -> str:
    return (
        f"{path}: during opening hours the call ends with nobody answering and no message box{_and_more(more)}; "
        "add overflow: {dial: NUMBER} (an answering service) or overflow: {voicemail: {email: [...]}}"
    )


def _nowhere_message(path: str, _seconds: float, more: int) -> str:
    return (
        f"{path}: callers hear a message and are hung up on, with no one to reach and no message box"
        f"{_and_more(more)}; add dial: NUMBER or voicemail: {{email: [...]}} there"
    )


def _timings(
    path: CallPath, document: BusinessDocument, emergency_keys: Mapping[str, int], described: str, collect: Collect
) -> None:
    events = path.events
    waited = next((event for event in events if event.kind in (EventKind.PRESSES, EventKind.WRONG_KEY)), None)
    first_ring = next((event for event in events if event.kind is EventKind.RINGS), None)
    if waited is None and first_ring is not None and first_ring.at_s > MAX_SECONDS_TO_HUMAN:
        where = "menu" if document.menu else "greeting"
        collect(Code.LONG_WAIT, Level.ERROR, where, _waits_message).add(described, first_ring.at_s)
    if not path.keys or path.keys[0] not in emergency_keys or waited is None or waited.kind is not EventKind.PRESSES:
        return
    where = f"menu[{emergency_keys[path.keys[0]]}]"
    if waited.at_s > MAX_SECONDS_TO_HUMAN:
        collect(Code.EMERGENCY_KEY_LATE, Level.ERROR, where, _emergency_key_message).add(described, waited.at_s)
    after = [event for event in events[events.index(waited) + 1 :] if event.kind is not EventKind.HEARS]
    if after and after[0].kind is EventKind.RECORDS:
        collect(Code.EMERGENCY_TAKES_MESSAGE, Level.WARNING, where, _emergency_box_message).add(described)
    if len(after) >= 2 and after[0].kind is EventKind.RINGS and after[1].kind is EventKind.ANSWERED:
        human_s = after[1].at_s
        if human_s > MAX_SECONDS_TO_HUMAN:
            rings = document.rings
            cycle_s = RING_CYCLE_S[Country(document.country)]
            message = _emergency_human_message(rings, cycle_s)
            values = {"rings": rings, "ring_cycle_s": cycle_s}
            collect(Code.EMERGENCY_HUMAN_LATE, Level.ERROR, where, message, values).add(described, human_s)


def _waits_message(path: str, seconds: float, _more: int) -> str:
    return (
        f"{path}: a caller who waits hears about {seconds:.0f} s of recordings before a phone rings; "
        f"keep it under {MAX_SECONDS_TO_HUMAN:.0f} s by shortening the texts"
    )


def _emergency_key_message(path: str, seconds: float, _more: int) -> str:
    return (
        f"{path}: an emergency caller can press only after about {seconds:.0f} s; it must be under "
        f"{MAX_SECONDS_TO_HUMAN:.0f} s: shorten the welcome and information, or move them after the menu"
    )


def _emergency_box_message(path: str, _seconds: float, _more: int) -> str:
    return f"{path}: the emergency option takes a message instead of reaching a human; give it dial: [numbers]"


def _emergency_human_message(rings: int, cycle_s: int) -> Callable[[str, float, int], str]:
    def message(path: str, seconds: float, _more: int) -> str:
        return (
            f"{path}: an emergency caller reaches a human only after about {seconds:.0f} s (the phones ring "
            f"{rings} times, {cycle_s} s each); it must be under {MAX_SECONDS_TO_HUMAN:.0f} s: fewer rings, or shorter "
            "texts before the option"
        )

    return message


def spoken_seconds(durations_s: Mapping[str, float], words_per_minute: int) -> Seconds:
    """Measured durations (by recording id or exact text) where there are some, else estimated from the words."""

    def seconds(speech: Speech) -> float:
        if isinstance(speech, Play) and speech.media_id in durations_s:
            return durations_s[speech.media_id]
        if speech.text in durations_s:
            return durations_s[speech.text]
        return len(speech.text.split()) * 60.0 / words_per_minute

    return seconds

"""A caller's path in words, in the business's language: "maandag 's nachts → gesloten → ophangen"."""

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ivr.callflow.flow import DialStatus
from ivr.callflow.paths import CallPath, EventKind, Scene
from ivr.callflow.schedule import Away, Holiday, InPeriod, Open

ARROW = " → "
# Local hours at which "at night" ends and the morning begins.
NIGHT_UNTIL_HOUR = 6
AFTERNOON_FROM_HOUR = 12
EVENING_FROM_HOUR = 18


@cache
def _catalogue() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(resources.files(__package__).joinpath("path_words.yaml").read_text("utf-8"))
    return data


@dataclass(frozen=True)
class PathWords:
    words: dict[str, Any]
    message_patterns: tuple[re.Pattern[str], ...]

    def asks_for_message(self, text: str) -> bool:
        lowered = text.lower()
        return any(pattern.search(lowered) for pattern in self.message_patterns)

    def _part_of_day(self, hour: int) -> str:
        parts: dict[str, str] = self.words["parts"]
        if hour < NIGHT_UNTIL_HOUR:
            return parts["night"]
        if hour < AFTERNOON_FROM_HOUR:
            return parts["morning"]
        return parts["afternoon"] if hour < EVENING_FROM_HOUR else parts["evening"]

    def scene(self, scene: Scene) -> str:
        found, local = scene.situation, scene.local
        if isinstance(found, Holiday):
            return str(self.words["holiday"]).format(name=found.name, day=local.date().isoformat())
        if isinstance(found, InPeriod):
            period = found.period
            return str(self.words["period"]).format(
                first=period.first_day.isoformat(), last=period.last_day.isoformat()
            )
        when = f"{self.words['weekdays'][local.weekday()]} {self._part_of_day(local.hour)}"
        if isinstance(found, Away):
            return f"{when}{ARROW}{self.words['away']}"
        return f"{when}{ARROW}{self.words['open' if isinstance(found, Open) else 'closed']}"

    def describe(self, path: CallPath) -> str:
        parts = [self.scene(path.scene)]
        for event in path.events:
            kind = event.kind
            if kind is EventKind.HEARS:
                if self.asks_for_message(event.text):
                    parts.append(self.words["asks_message"])
            elif kind in (EventKind.PRESSES, EventKind.WRONG_KEY):
                parts.append(
                    str(self.words["presses" if kind is EventKind.PRESSES else "wrong_key"]).format(key=event.text)
                )
            elif kind is EventKind.NO_KEY:
                parts.append(self.words["no_key"])
            elif kind is EventKind.RINGS:
                parts.append(str(self.words["rings"]).format(numbers=event.text))
            elif kind is EventKind.ANSWERED:
                parts.append(str(self.words["answered"]).format(seconds=round(event.at_s)))
            elif kind is EventKind.NOT_ANSWERED:
                parts.append("/".join(self.words[status.value] for status in event.statuses if status in WORDED))
            elif kind is EventKind.RECORDS:
                parts.append(self.words["records"])
            elif kind is EventKind.HANGS_UP:
                parts.append(self.words["hangs_up"])
            elif kind is EventKind.CALLBACK:
                parts.append(self.words["callback"])
            elif kind is EventKind.TEXT_BACK:
                parts.append(self.words["text_back"])
        return ARROW.join(parts)


WORDED = (DialStatus.NO_ANSWER, DialStatus.BUSY, DialStatus.FAILED)


@cache
def path_words(language: str) -> PathWords:
    words: dict[str, Any] = _catalogue()[language]
    return PathWords(words, tuple(re.compile(pattern) for pattern in words["message_patterns"]))

"""Greeting texts per language, kept as data in the YAML files beside this module."""

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

LANGUAGES = ("nl", "en", "de", "fr")
PromptName = Literal[
    "welcome",
    "information",
    "menu_lead",
    "menu_retry",
    "closed",
    "holiday",
    "period",
    "voicemail",
    "whisper",
    "whisper_choice",
    "whisper_no_choice",
    "whisper_hours",
    "whisper_holiday",
    "whisper_period",
    "choice_urgent",
    "choice_key",
    "confirm",
    "unavailable",
    "goodbye",
    "fallback",
    "referral_number",
    "referral_named",
    "blocked",
    "callback_offer",
    "callback_your_number",
    "callback_key_in",
    "callback_confirmed",
    "callback_too_short",
    "callback_too_long",
    "callback_premium",
    "callback_not_a_number",
    "digits",
]
PartOfDay = Literal["morning", "afternoon", "evening"]
PARTS_OF_DAY: tuple[PartOfDay, ...] = ("morning", "afternoon", "evening")

# Local hours at which the salutation changes: 12:00 to afternoon, 18:00 to evening (Dutch usage;
# the other three languages switch at about the same times).
AFTERNOON_FROM_HOUR = 12
EVENING_FROM_HOUR = 18


# The placeholders a text may hold ({business}, {salutation}); the checker refuses any other (ivr.document.lint).
TEXT_PLACEHOLDERS = ("business", "salutation")


@dataclass(frozen=True)
class PromptBook:
    language: str
    words_per_minute: int
    salutations: dict[PartOfDay, str]
    texts: dict[str, str]

    def text(self, name: PromptName, *, business: str = "", part_of_day: PartOfDay = "afternoon") -> str:
        return self.fill(self.texts[name], business=business, part_of_day=part_of_day)

    def fill(self, text: str, *, business: str, part_of_day: PartOfDay = "afternoon") -> str:
        """Put the business's name and the salutation into a text; other braces are left as they are."""
        return text.replace("{business}", business).replace("{salutation}", self.salutations[part_of_day])


def part_of_day(local_hour: int) -> PartOfDay:
    if local_hour < AFTERNOON_FROM_HOUR:
        return "morning"
    return "afternoon" if local_hour < EVENING_FROM_HOUR else "evening"


@cache
def prompt_book(language: str) -> PromptBook:
    if language not in LANGUAGES:
        raise ValueError(f"no prompts for language {language!r}; choose one of {', '.join(LANGUAGES)}")
    raw = yaml.safe_load(resources.files(__package__).joinpath(f"{language}.yaml").read_text("utf-8"))
    texts = {key: value for key, value in raw.items() if isinstance(value, str) and key != "language"}
    return PromptBook(language, int(raw["words_per_minute"]), dict(raw["salutation"]), texts)

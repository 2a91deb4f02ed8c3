"""The greeting checker: what in a business document will annoy or fail callers, and what to change.

Errors stop `greetline apply`; warnings are printed. Durations are measured from rendered audio when there is
some (`durations_s`, by exact text), else estimated from the words at the language's speaking rate.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from ivr.callflow.flow import MENU_WAIT_S
from ivr.document.model import BusinessDocument, Greeting
from prompts import PromptBook, prompt_book

# A welcome longer than this makes callers wait for the point; information longer than this is not listened to.
MAX_WELCOME_S = 10.0
MAX_INFO_S = 30.0
# Dutch GP practices must reach an emergency caller within 30 s (NHG-Standaard Telefonische triage).
MAX_SECONDS_TO_HUMAN = 30.0
# Most callers hang up after 5 to 6 rings.
MAX_SENSIBLE_RINGS = 5

EMERGENCY_WORDS = ("spoed", "noodgeval", "emergency", "urgent", "notfall", "dringend", "urgence")
FILLER = {
    "nl": ("uw gesprek is belangrijk", "uw telefoontje is belangrijk", "blijft u aan de lijn", "een ogenblik geduld"),
    "en": ("your call is important", "please stay on the line", "please hold", "thank you for your patience"),
    "de": ("ihr anruf ist uns wichtig", "bitte bleiben sie dran", "bitte haben sie etwas geduld"),
    "fr": ("votre appel est important", "merci de patienter", "ne quittez pas"),
}
WEBSITE = re.compile(
    r"(www\.|https?://|\S+@\S+\.\w+|\b\w+\.(nl|com|de|fr|be|eu|org|net)\b|\bwebsite\b|\bwebsite|\bwebseite\b|"
    r"\bsite (web|internet)\b|\bonze site\b|\binternet\b)",
    re.IGNORECASE,
)


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: Level
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.value}: {self.where}: {self.message}"


def spoken_s(text: str, book: PromptBook, durations_s: Mapping[str, float]) -> float:
    if text in durations_s:
        return durations_s[text]
    return len(text.split()) * 60.0 / book.words_per_minute


def _texts(document: BusinessDocument) -> list[tuple[str, str]]:
    """Every text a caller may hear, with where it stands in the document."""
    found: list[tuple[str, str]] = []

    def add(where: str, greeting: Greeting | None) -> None:
        if greeting is not None and greeting.text:
            found.append((where, greeting.text))

    add("greeting", document.greeting)
    add("info", document.info)
    found += [(f"menu[{index}].prompt", option.prompt) for index, option in enumerate(document.menu)]
    add("closed.greeting", document.closed.greeting if document.closed else None)
    for index, period in enumerate(document.periods):
        add(f"periods[{index}].greeting", period.greeting)
    return found


def _is_emergency(prompt: str, flagged: bool) -> bool:
    return flagged or any(word in prompt.lower() for word in EMERGENCY_WORDS)


def lint(document: BusinessDocument, durations_s: Mapping[str, float] | None = None) -> list[Finding]:
    durations = durations_s or {}
    book = prompt_book(document.language)
    findings: list[Finding] = []

    def filled(text: str) -> str:
        return book.fill(text, business=document.business)

    welcome = filled(document.greeting.text) if document.greeting and document.greeting.text else None
    if welcome is None and document.greeting is None:
        welcome = filled(book.texts["welcome"])
    if welcome is not None and document.business.lower() not in welcome.lower():
        findings.append(
            Finding(
                Level.ERROR,
                "greeting",
                f"the welcome does not name the business; start with e.g. {filled(book.texts['welcome'])!r}",
            )
        )
    welcome_s = spoken_s(welcome, book, durations) if welcome else 0.0
    if welcome_s > MAX_WELCOME_S:
        findings.append(
            Finding(
                Level.WARNING,
                "greeting",
                f"the welcome takes about {welcome_s:.0f} s; keep it under "
                f"{MAX_WELCOME_S:.0f} s: the name and the salutation are enough",
            )
        )
    info_s = 0.0
    if document.info and document.info.text:
        info_s = spoken_s(filled(document.info.text), book, durations)
        if info_s > MAX_INFO_S:
            findings.append(
                Finding(
                    Level.WARNING,
                    "info",
                    f"the information takes about {info_s:.0f} s; keep it under "
                    f"{MAX_INFO_S:.0f} s or move details elsewhere",
                )
            )

    prompts_s = [spoken_s(filled(option.prompt), book, durations) for option in document.menu]
    emergency = [i for i, option in enumerate(document.menu) if _is_emergency(option.prompt, option.emergency)]
    if emergency and emergency[0] != 0:
        findings.append(
            Finding(
                Level.ERROR,
                f"menu[{emergency[0]}]",
                "the emergency option must be the first option callers hear; move it to the top",
            )
        )
    to_operators_s = welcome_s + info_s + sum(prompts_s) + (MENU_WAIT_S if document.menu else 0)
    if to_operators_s > MAX_SECONDS_TO_HUMAN:
        findings.append(
            Finding(
                Level.ERROR,
                "menu" if document.menu else "greeting",
                f"a caller who waits hears about {to_operators_s:.0f} s of recordings before a phone "
                f"rings; keep it under {MAX_SECONDS_TO_HUMAN:.0f} s by shortening the texts",
            )
        )
    if emergency:
        to_emergency_s = welcome_s + info_s + sum(prompts_s[: emergency[0] + 1])
        if to_emergency_s > MAX_SECONDS_TO_HUMAN:
            findings.append(
                Finding(
                    Level.ERROR,
                    f"menu[{emergency[0]}]",
                    f"an emergency caller can press only after "
                    f"about {to_emergency_s:.0f} s; it must be under {MAX_SECONDS_TO_HUMAN:.0f} s",
                )
            )
    if document.rings > MAX_SENSIBLE_RINGS:
        findings.append(
            Finding(
                Level.WARNING,
                "rings",
                f"{document.rings} rings: most callers hang up after 5 or 6; use {MAX_SENSIBLE_RINGS} or fewer",
            )
        )
    for where, text in _texts(document):
        lowered = text.lower()
        if WEBSITE.search(text):
            findings.append(
                Finding(
                    Level.WARNING,
                    where,
                    "do not send callers to a website or e-mail address: "
                    "they called because they want to talk; say what they need instead",
                )
            )
        for phrase in FILLER.get(document.language, ()):
            if phrase in lowered:
                findings.append(
                    Finding(Level.WARNING, where, f"drop the filler {phrase!r}: it lengthens the wait and says nothing")
                )
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level is Level.ERROR]

"""The document model's and the checker's problems in the page's language, placed at the field they concern.

Each problem carries its code, its place in the document ("operators[0]") and its values; the page words it by
its code (ivr.web.admin.problem_words) and shows it next to the field showing that place.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from ivr.errors import Problem
from ivr.web.admin.i18n import Words
from ivr.web.admin.problem_words import problem_words


@dataclass
class Problems:
    """Problems by form field (the document's top-level key, or a form's own field name)."""

    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def all(self) -> list[str]:
        return [message for messages in self.by_field.values() for message in messages]


def top_key(where: str) -> str:
    """'operators[0]' as 'operators', 'closed.voicemail.email' as 'closed'; 'document' belongs to the form."""
    key = where.split(".", 1)[0].split("[", 1)[0]
    return "form" if key in ("document", "") or " " in key else key


def placed(words: Words, problems: Sequence[Problem], fields: dict[str, str] | None = None) -> Problems:
    """The problems at the page's fields; `fields` renames a document key, or a place inside one
    ("closed.voicemail"), to the form field showing it: the longest that starts the problem's place wins."""
    found = Problems()
    by_length = sorted(fields or {}, key=len, reverse=True)
    for problem in problems:
        place = problem.where
        named = next((key for key in by_length if place == key or place.startswith((key + ".", key + "["))), None)
        found.add((fields or {})[named] if named else top_key(place), problem_words(words, problem))
    return found

"""The document model's and the checker's problems in the page's language, placed at the field they concern.

The model and the checker speak English to the CLI and the API ("operators[0]: '0501' is not an international
number: ..."). The page shows each problem next to its field, reworded from its catalogue; a problem this table
does not know yet still lands at its field, with a general sentence in the page's language rather than English.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ivr.web.admin.i18n import Words

Reword = Callable[[Words, re.Match[str]], str]


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


def _value(match: re.Match[str]) -> str:
    return match.group("value") if "value" in match.re.groupindex else ""


# (pattern over the model's or the checker's English message, the words to show instead)
_TABLE: list[tuple[str, Reword]] = [
    # The path checker names the path in the business's language ("… → …: why"); only the why is reworded.
    (r"^(?P<path>[^:]* \u2192 [^:]*): (?P<why>.*)$", lambda w, m: f"{m.group('path')}: {reworded(w, m.group('why'))}"),
    (
        r"'(?P<value>[^']*)' is not an international number",
        lambda w, m: (
            w.gettext("%(value)s is not an international number: write it with the country code, e.g. +31 50 123 4567")
            % {"value": _value(m)}
        ),
    ),
    (
        r"'(?P<value>[^']*)' is not a (valid )?phone number",
        lambda w, m: w.gettext("%(value)s is not a phone number: check the digits") % {"value": _value(m)},
    ),
    (
        r"'(?P<value>[^']*)' is not an e-mail address",
        lambda w, m: w.gettext("%(value)s is not an e-mail address, e.g. praktijk@example.nl") % {"value": _value(m)},
    ),
    (
        r"'(?P<value>[^']*)' (is not a day or range of days|runs backwards)",
        lambda w, m: w.gettext("%(value)s is not a day or a range of days") % {"value": _value(m)},
    ),
    (
        r"'(?P<value>[^']*)' (has a bad time|is not a time range|ends before it starts)",
        lambda w, m: w.gettext("%(value)s is not a time range: write it as 08:00-17:00") % {"value": _value(m)},
    ),
    (r"is given twice", lambda w, m: w.gettext("A day is given twice: name each day once.")),
    (r"ring count must be", lambda w, m: w.gettext("Choose from 1 to 10 rings.")),
    (r"period ends .* before it starts", lambda w, m: w.gettext("The period ends before it starts.")),
    (r"is required", lambda w, m: w.gettext("This is required.")),
    (r"at least 1 (character|item)", lambda w, m: w.gettext("This must not be empty.")),
    (r"at most \d+ character", lambda w, m: w.gettext("This text is too long.")),
    (r"needs dial: .* or voicemail:", lambda w, m: w.gettext("Say where calls go: a number or a voicemail box.")),
    (r"either dial: or voicemail:", lambda w, m: w.gettext("Choose a number or a voicemail box, not both.")),
    (r"key must be one of", lambda w, m: w.gettext("A key is one of 0-9, * or #.")),
    (r"is used twice; give each option", lambda w, m: w.gettext("Each option needs its own key.")),
    (r"a menu has at most", lambda w, m: w.gettext("A menu has at most four options.")),
    (r"a number is listed twice", lambda w, m: w.gettext("A number is listed twice.")),
    (r"does not name the business", lambda w, m: w.gettext("The welcome must name the business.")),
    (
        r"emergency option must be the first",
        lambda w, m: w.gettext("The emergency option must be the first option callers hear."),
    ),
    (
        r"hears about (?P<value>\d+) s of recordings before a phone",
        lambda w, m: (
            w.gettext("A caller hears about %(value)s s before a phone rings; keep it under 30 s.")
            % {"value": _value(m)}
        ),
    ),
    (
        r"emergency caller can press only after",
        lambda w, m: w.gettext("An emergency caller must be able to press within 30 s."),
    ),
    (
        r"^(?P<value>\d+) rings: most callers hang up",
        lambda w, m: (
            w.gettext("%(value)s rings: most callers hang up after 5 or 6; use 5 or fewer.") % {"value": _value(m)}
        ),
    ),
    (
        r"is a mobile: its own voicemail answers .* use (?P<value>\d+) rings or fewer",
        lambda w, m: (
            w.gettext(
                "A mobile's own voicemail answers after about 20 s and takes the call first; "
                "use %(value)s rings or fewer, or switch off that phone's voicemail."
            )
            % {"value": _value(m)}
        ),
    ),
    (
        r"takes about (?P<value>\d+) s",
        lambda w, m: w.gettext("This text takes about %(value)s s; shorten it.") % {"value": _value(m)},
    ),
    (
        r"do not send callers to a website",
        lambda w, m: w.gettext("Do not send callers to a website or e-mail address."),
    ),
    (r"drop the filler", lambda w, m: w.gettext("Leave out filler words: they lengthen the wait.")),
    (
        r"is a mobile and rings about (?P<value>\d+) s: its own voicemail",
        lambda w, m: (
            w.gettext(
                "A staff mobile rings %(value)s s, past its own voicemail: let staff confirm calls, or ring less."
            )
            % {"value": _value(m)}
        ),
    ),
    (
        r"the caller is asked to leave a message, but nothing records it",
        lambda w, m: w.gettext(
            "Callers are asked to leave a message, but nothing records it: add a voicemail box here."
        ),
    ),
    (
        r"during opening hours the call ends with nobody answering and no message box",
        lambda w, m: w.gettext("Nobody answers and there is no message box: add an answering service or voicemail."),
    ),
    (
        r"callers hear a message and are hung up on",
        lambda w, m: w.gettext("Callers hear a message and are hung up on: give a number or a voicemail box."),
    ),
    (
        r"emergency caller reaches a human only after about (?P<value>\d+) s",
        lambda w, m: (
            w.gettext("An emergency caller reaches a person only after about %(value)s s; keep it under 30 s.")
            % {"value": _value(m)}
        ),
    ),
    (
        r"the answering service hears .*, about (?P<value>[\d.]+) s, before the caller is put through",
        lambda w, m: (
            w.gettext(
                "The answering service hears about %(value)s s before the caller is put through; keep it under 4 s."
            )
            % {"value": m.group("value")}
        ),
    ),
    (
        r"instructions are shown to an answering service on its card, but no call goes to one",
        lambda w, m: w.gettext("The instructions are for an answering service, but no call goes to one."),
    ),
    (
        r"the emergency option takes a message instead",
        lambda w, m: w.gettext("The emergency option takes a message instead of reaching a person: give it a number."),
    ),
]
_COMPILED = [(re.compile(pattern), reword) for pattern, reword in _TABLE]


def first_rewording(table: list[tuple[re.Pattern[str], Reword]], words: Words, message: str) -> str | None:
    """The words of the first pattern in `table` that the message matches, or None."""
    for pattern, reword in table:
        match = pattern.search(message)
        if match:
            return reword(words, match)
    return None


def reworded(words: Words, message: str) -> str:
    found = first_rewording(_COMPILED, words, message)
    return found or words.gettext("This value cannot be saved as it is; check it and try again.")


def field_of(problem: str) -> tuple[str, str]:
    """'operators[0]: message' as ('operators', 'message'); a problem without a place belongs to the form."""
    where, separator, message = problem.partition(": ")
    if not separator or " " in where:
        return "form", problem
    return re.split(r"[.\[]", where, maxsplit=1)[0], message


def placed(words: Words, problems: list[str], fields: dict[str, str] | None = None) -> Problems:
    """The model's problems at the page's fields; `fields` renames a document key, or a place inside one
    ("closed.voicemail"), to the form field showing it: the longest that starts the problem's place wins."""
    found = Problems()
    by_length = sorted(fields or {}, key=len, reverse=True)
    for problem in problems:
        where, message = field_of(problem)
        place = problem.partition(": ")[0]
        named = next((key for key in by_length if place == key or place.startswith((key + ".", key + "["))), None)
        found.add((fields or {})[named] if named else where, reworded(words, message))
    return found

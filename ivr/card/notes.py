"""Checking what the answering service typed into a call note, and how often it may send one."""

from collections.abc import Mapping

from pydantic_core import PydanticCustomError

from ivr.document.phones import example, read_number
from ivr.errors import Problem
from ivr.messages.call_notes import NoteInput

MAX_NAME_CHARS = 100
MAX_MESSAGE_CHARS = 2000
# A number as typed: room for spaces, dashes and a country code.
MAX_NUMBER_CHARS = 32
# A service types a note per call it took: 30 in 10 minutes is a very busy line; more is a script gone wrong.
NOTES_PER_WINDOW = 30
WINDOW_S = 600.0


def _number(typed: str, country: str) -> tuple[str | None, Problem | None]:
    text = typed.strip()
    if not text:
        return None, None
    wrong = Problem(
        "number_invalid",
        "caller_number",
        f"{text[:MAX_NUMBER_CHARS]!r} is not a phone number; write it as the caller gave it, e.g. "
        f"{example(country)}, or leave it empty",
    )
    if len(text) > MAX_NUMBER_CHARS:
        return None, wrong
    try:
        return read_number(text, country), None
    except PydanticCustomError:
        return None, wrong


# What a note is made of: the API refuses any other field (a misspelt "urgnt" would make an urgent note routine).
NOTE_FIELDS = ("caller_name", "caller_number", "message", "urgent")


def unknown_fields(fields: Mapping[str, object]) -> list[Problem]:
    message = "is not a known key; check its spelling or remove it"
    return [Problem("unknown_key", name, message) for name in sorted(set(fields) - set(NOTE_FIELDS))]


def check_note(fields: Mapping[str, object], country: str) -> tuple[NoteInput | None, list[Problem]]:
    """A national number is read as the business's country's (an answering service types what it hears).

    Each problem's `code` is for the card page's catalogue, its `message` (English) for the API."""
    name = str(fields.get("caller_name") or "").strip()
    message = str(fields.get("message") or "").strip()
    urgent_field = fields.get("urgent")
    urgent = urgent_field is True or str(urgent_field).lower() in ("on", "true", "1", "yes")
    problems = []
    if not name:
        problems.append(Problem("name_missing", "caller_name", "caller_name: give the caller's name"))
    elif len(name) > MAX_NAME_CHARS:
        problems.append(Problem("name_too_long", "caller_name", f"caller_name: at most {MAX_NAME_CHARS} characters"))
    number, wrong = _number(str(fields.get("caller_number") or ""), country)
    if wrong is not None:
        problems.append(wrong)
    if not message:
        problems.append(Problem("message_missing", "message", "message: write what the caller wants"))
    elif len(message) > MAX_MESSAGE_CHARS:
        problems.append(
            Problem(
                "message_too_long",
                "message",
                f"message: at most {MAX_MESSAGE_CHARS} characters, got {len(message)}; shorten it",
            )
        )
    if problems:
        return None, problems
    return NoteInput(name, number, message, urgent), []


def may_send(sent_in_window: int) -> bool:
    """Whether a card that sent `sent_in_window` notes in the last WINDOW_S may send another. The count is of the
    notes stored (ivr.store.cards.notes_since), so every replica sees the same one (issue 24)."""
    return sent_in_window < NOTES_PER_WINDOW

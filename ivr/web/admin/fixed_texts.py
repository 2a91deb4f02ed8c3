"""The form of the fixed texts callers hear, worded by the business (`texts:` in the document): the voicemail
prompt, the goodbye after a message, and "nobody can answer now". An empty field is the language's own text, shown
beside it. Its route is on the texts page (ivr.web.admin.texts), previewed and spoken like the page's other texts."""

from typing import Any

from ivr.document.fixed_texts import FIXED_TEXTS
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import typed_text
from prompts import prompt_book


def fixed_text_names(words: Words) -> dict[str, str]:
    return {
        "voicemail": words.gettext("Before the tone of the voicemail"),
        "goodbye": words.gettext("After a message is left"),
        "unavailable": words.gettext("When nobody can answer and there is no voicemail"),
    }


def fixed_text_fields(document: dict[str, Any]) -> dict[str, Any]:
    """The stored own texts as the form shows them, and the language's for each left empty."""
    own = document.get("texts") or {}
    book = prompt_book(document.get("language", "nl"))
    return {
        "fixed": {name: own.get(name, "") for name in FIXED_TEXTS},
        "fixed_defaults": {name: book.text(name, business=document["business"]) for name in FIXED_TEXTS},
    }


def fixed_text_parts(typed: dict[str, str]) -> dict[str, str | None]:
    """Each text at its own key; an empty one removed, so the language's is heard (and not written as the own)."""
    return {f"texts.{name}": typed_text(typed.get(name, "")) or None for name in FIXED_TEXTS}

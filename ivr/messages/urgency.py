"""Urgent words (issue 22): a voicemail whose transcript holds one is flagged urgent (its subject says so, it sorts
first). A business lists its own as `urgent_words:`; without them, its language's defaults below."""

import re
import unicodedata

from ivr.document.model import BusinessDocument

# What callers of a plumber, a GP or a landlord say when it cannot wait; whole words, any case, accents ignored.
DEFAULT_URGENT_WORDS: dict[str, tuple[str, ...]] = {
    "nl": ("spoed", "dringend", "lekkage", "storing", "noodgeval"),
    "de": ("notfall", "dringend", "eilig", "rohrbruch", "störung"),
    "fr": ("urgent", "urgence", "fuite", "panne"),
    "en": ("urgent", "emergency", "leak", "asap"),
}


def urgent_words(document: BusinessDocument) -> tuple[str, ...]:
    own = document.urgent_words
    return tuple(own) if own is not None else DEFAULT_URGENT_WORDS.get(document.language, ())


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def holds_urgent_word(text: str, words: tuple[str, ...]) -> bool:
    folded = _folded(text)
    return any(re.search(rf"\b{re.escape(_folded(word))}\b", folded) for word in words if word.strip())


def is_urgent(text: str, document: BusinessDocument) -> bool:
    return holds_urgent_word(text, urgent_words(document))

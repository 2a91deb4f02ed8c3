"""`texts:`: the business's own wording of the fixed texts callers hear, each left out the language's own
(prompts/nl.yaml …): the voicemail prompt before the tone, the goodbye after a message, and what a caller hears
when nobody can answer and there is nowhere to leave a message ("Er is nu helaas niemand bereikbaar …")."""

from typing import Literal

from pydantic import Field

from ivr.document.values import Strict

# The prompts' names of the texts a business may word itself (prompts.PromptBook.texts), in the page's order.
FixedTextName = Literal["voicemail", "goodbye", "unavailable"]
FIXED_TEXTS: tuple[FixedTextName, ...] = ("voicemail", "goodbye", "unavailable")
# Each is said in one breath before or after something else: longer than this is a greeting, not a fixed text.
MAX_FIXED_TEXT_CHARS = 300


class FixedTexts(Strict):
    voicemail: str | None = Field(default=None, min_length=1, max_length=MAX_FIXED_TEXT_CHARS)
    goodbye: str | None = Field(default=None, min_length=1, max_length=MAX_FIXED_TEXT_CHARS)
    unavailable: str | None = Field(default=None, min_length=1, max_length=MAX_FIXED_TEXT_CHARS)

    def own(self) -> dict[str, str]:
        """The texts the business words itself, by name."""
        return {name: text for name in FIXED_TEXTS if (text := getattr(self, name))}

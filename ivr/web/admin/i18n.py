"""The admin page's languages: gettext message catalogues, one per language, kept as the .po files in
ivr/web/admin/locale/<language>/LC_MESSAGES/messages.po (extracted with `make catalogues`, see babel.cfg).

The catalogues are compiled in memory when first used rather than shipped as .mo files: the .po file is then the
only copy of the words, and a clean clone, an editable install and a wheel all read the same ones with no build
step to forget. `tests/web/test_catalogues.py` holds every catalogue against the strings in the code.

Babel is imported where a page first needs it (a catalogue, a date in words), not with the modules: a server that
answers calls and has shown no page never holds it (idle memory, issue 12). The pages type their words as `Words`.
"""

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol

LANGUAGES = ("nl", "en", "de", "fr")
DEFAULT_LANGUAGE = "nl"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"


class Words(Protocol):
    """One language's catalogue as the pages use it (babel's Translations, from `translations`)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, count: int, /) -> str: ...


def asked_for(accept_language: str) -> str | None:
    """The first of LANGUAGES a browser's Accept-Language header asks for, by its weights (RFC 9110 12.5.4;
    "de-CH" asks for "de"); None when it asks for none of them."""
    weighed: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, parameters = item.strip().partition(";")
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and weight > 0:
            weighed.append((-weight, position, primary))
    return min(weighed)[2] if weighed else None


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> Words:
    """The words of one of LANGUAGES (the default language's for any other)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)

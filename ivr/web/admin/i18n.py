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

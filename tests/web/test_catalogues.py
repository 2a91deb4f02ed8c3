"""The admin page's message catalogues against the code: every string the code and templates ask for is in each
language's catalogue, translated, with the same placeholders; nothing stale is left behind."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from ivr.web.admin.i18n import LANGUAGES, catalogue_path, translations

ROOT = Path(__file__).resolve().parents[2]


def _extracted() -> set[str | tuple[str, ...]]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map):
        found.add(message)
    return found


def _catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language)


@pytest.fixture(scope="module")
def extracted() -> set[str | tuple[str, ...]]:
    return _extracted()


def test_the_extraction_finds_the_admin_pages_strings(extracted: set[str | tuple[str, ...]]) -> None:
    assert "Save" in extracted and "outside opening hours" in extracted  # a template's and the code's
    assert len(extracted) > 150


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_holds_exactly_the_strings_in_use(language: str, extracted: set[str | tuple[str, ...]]) -> None:
    catalogue = _catalogue(language)
    held = {message.id for message in catalogue if message.id}
    assert sorted(map(str, extracted - held)) == [], f"missing in {language}: run `make catalogues` and translate"
    assert sorted(map(str, held - extracted)) == [], f"stale in {language}: run `make catalogues`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_message_is_translated_with_its_placeholders(language: str) -> None:
    catalogue = _catalogue(language)
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"{language}: {message.id!r} is not translated"
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalogue.check()]
    assert problems == [], f"{language}: placeholders differ from the original"


def test_the_page_reads_each_language_from_its_catalogue() -> None:
    said = {language: translations(language).gettext("outside opening hours") for language in LANGUAGES}
    assert said == {
        "nl": "buiten openingstijden",
        "en": "outside opening hours",
        "de": "außerhalb der Öffnungszeiten",
        "fr": "en dehors des horaires d'ouverture",
    }

"""The checker counts and words what is wrong the way the document has it (issue 20, item 13): a menu of six with
one bad number has six options, every bad range and holiday name is named, an invalid `language:` leaves the rest of
the findings in a language the business reads, and a holiday is named in the business's language."""

from datetime import date
from pathlib import Path

import pytest

from ivr.cli import main
from ivr.document.codes import Code
from ivr.usecases.documents import check_text
from ivr.web.admin.i18n import translations
from ivr.web.admin.problem_words import problem_words

# A Monday: the checker walks the week from here.
MONDAY = date(2026, 11, 23)
BASE = 'business: Bakkerij Smit\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\n'
VOICEMAIL = "overflow: {voicemail: {email: [info@example.nl]}}\n"


def _option(key: int, number: str = "+31201234568") -> str:
    return f'  - {{key: "{key}", prompt: "Toets {key}.", dial: "{number}"}}\n'


def _found(text: str) -> list[tuple[str, str, dict[str, object]]]:
    return [(f.code, f.where, dict(f.values)) for f in check_text(text, today=MONDAY).findings]


def test_a_menu_of_six_with_one_bad_number_is_six_options() -> None:
    menu = "menu:\n" + "".join(_option(key, "12" if key == 3 else "+31201234568") for key in range(1, 7))
    found = _found(BASE + VOICEMAIL + menu)
    # "12" is read as a national number of the business's country (issue 20 item 15), and is none.
    examples = {"national": "020 123 4567", "international": "+31 20 123 4567"}
    assert (Code.INVALID_PHONE_NUMBER, "menu[2].dial[0]", {"value": "12", **examples}) in found
    assert (Code.MENU_TOO_LONG, "menu", {"count": 6, "most": 4}) in found
    [message] = [f.message for f in check_text(BASE + VOICEMAIL + menu, today=MONDAY).findings if f.where == "menu"]
    assert "got 6" in message


def test_a_menu_of_five_with_one_bad_number_is_still_too_long() -> None:
    menu = "menu:\n" + "".join(_option(key, "12" if key == 5 else "+31201234568") for key in range(1, 6))
    assert (Code.MENU_TOO_LONG, "menu", {"count": 5, "most": 4}) in _found(BASE + VOICEMAIL + menu)


def test_eleven_phones_at_once_with_one_bad_number_are_eleven() -> None:
    phones = ", ".join(['"0612"'] + [f'"+316123456{n:02d}"' for n in range(10)])
    text = BASE.replace('operators: ["+31612345678"]', f"operators: [{phones}]") + VOICEMAIL
    assert (Code.TOO_MANY_AT_ONCE, "operators", {"count": 11, "most": 10}) in _found(text)


def test_every_bad_range_is_named_not_only_the_first() -> None:
    hours = 'hours: {mon-fri: ["08:00-25:00", "13:00-12:00"], sat: "09:00-12:00, 14:00", sun: "10:00-12:00"}\n'
    found = [(code, where) for code, where, _values in _found(BASE + VOICEMAIL + hours)]
    assert found[:3] == [
        (Code.BAD_TIME, "hours.mon-fri[0]"),
        (Code.RANGE_BACKWARDS, "hours.mon-fri[1]"),
        (Code.NOT_A_TIME_RANGE, "hours.sat"),
    ]


def test_every_unknown_holiday_name_is_named_not_only_the_first() -> None:
    found = _found(BASE + VOICEMAIL + "holidays: [Xmas, Koningsdag, Boxing, '13-01']\n")
    assert [(code, where, values.get("value")) for code, where, values in found[:3]] == [
        (Code.UNKNOWN_HOLIDAY, "holidays[0]", "Xmas"),
        (Code.UNKNOWN_HOLIDAY, "holidays[2]", "Boxing"),
        (Code.HOLIDAY_NOT_A_DATE, "holidays[3]", "13-01"),
    ]


NOBODY = "closed: {greeting: {text: 'Wij zijn gesloten.'}}\nhours: {mon-fri: '08:00-17:00'}\n"


def _paths(text: str, today: date = MONDAY) -> list[str]:
    return [str(f.values["path"]) for f in check_text(text, today=today).findings if "path" in f.values]


@pytest.mark.parametrize(
    ("language", "country", "weekday"),
    [
        ("english", "GB", "Monday"),  # not a tag: the country's language
        ("EN-gb", "NL", "Monday"),  # a tag that names a language: that one
        ("Deutsch", "DE", "Montag"),
        ("klingon", None, "Monday"),  # no country written: English, not the default Dutch
    ],
)
def test_an_invalid_language_leaves_the_rest_in_a_language_the_business_reads(
    language: str, country: str | None, weekday: str
) -> None:
    text = BASE + NOBODY + f"language: {language}\n" + (f"country: {country}\n" if country else "")
    found = check_text(text, today=MONDAY).findings
    assert found[0].code == Code.NOT_A_CHOICE and found[0].where == "language"
    paths = _paths(text)
    assert any(path.startswith(weekday) for path in paths), paths
    assert not any("maandag" in path or "feestdag" in path for path in paths), paths


def test_a_dutch_finding_names_the_holiday_in_dutch() -> None:
    ascension_week = date(2027, 5, 3)
    paths = _paths(BASE + NOBODY.replace("hours: {mon-fri: '08:00-17:00'}\n", ""), ascension_week)
    assert any(path.startswith("feestdag Hemelvaartsdag (2027-05-06)") for path in paths), paths
    assert not any("Ascension" in path for path in paths)


def test_lint_words_the_findings_in_the_language_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Dutch business reads its findings in Dutch, pydantic's checks too."""
    document = tmp_path / "smit.yaml"
    label = "x" * 45
    document.write_text(
        BASE + VOICEMAIL + f'menu: [{{key: "1", prompt: "Toets 1.", dial: "+31201234568", label: "{label}"}}]\n',
        "utf-8",
    )
    assert main(["lint", "--language", "nl", str(document)]) == 1
    assert (
        capsys.readouterr().out.splitlines()[0] == "error: menu[0].label: Dit is te lang: ten hoogste 30 tekens, nu 45."
    )


def test_a_day_of_the_wrong_kind_hides_no_other_days_bad_range() -> None:
    hours = 'hours: {mon-fri: 8, blursday: "08:00-12:00", sat: "25:00-26:00"}\n'
    found = [(code, where) for code, where, _values in _found(BASE + VOICEMAIL + hours)]
    assert found[:3] == [
        (Code.WRONG_KIND, "hours.mon-fri"),
        (Code.NOT_DAYS, "hours.blursday"),
        (Code.BAD_TIME, "hours.sat"),
    ]


@pytest.mark.parametrize("written", ["2026-13-01", "2026-02-30"])
def test_an_impossible_date_is_a_finding_at_its_field_not_a_traceback(written: str) -> None:
    """YAML reads 2026-13-01 as a date and PyYAML raised ValueError from its constructor: lint and the admin page
    ended in a traceback instead of saying which date is wrong."""
    period = f"periods:\n  - {{from: {written}, to: 2026-12-31, text: Wij zijn er niet.}}\n"
    found = _found(BASE + VOICEMAIL + period)
    assert (Code.WRONG_KIND, "periods[0].from", {"kinds": "date"}) in found


def test_the_words_for_a_long_menu_and_many_phones_say_how_many_the_document_has() -> None:
    """The reader sees the count the checker found (six options, eleven phones), in the page's language."""
    menu = "menu:\n" + "".join(_option(key, "12" if key == 3 else "+31201234568") for key in range(1, 7))
    phones = ", ".join(['"0612"'] + [f'"+316123456{n:02d}"' for n in range(10)])
    text = BASE.replace('operators: ["+31612345678"]', f"operators: [{phones}]") + VOICEMAIL + menu
    findings = {f.code: f for f in check_text(text, today=MONDAY).findings}
    dutch = translations("nl")
    assert (
        problem_words(dutch, findings[Code.MENU_TOO_LONG])
        == "Een keuzemenu heeft hoogstens vier keuzes; dit heeft er 6."
    )
    assert problem_words(dutch, findings[Code.TOO_MANY_AT_ONCE]) == (
        "Er kunnen hoogstens 10 telefoons tegelijk overgaan; er staan er 11."
    )

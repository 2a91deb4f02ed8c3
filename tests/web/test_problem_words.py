"""Problems as data: every code a document, the audio code or a delivery can give has words in each language's
catalogue, so no problem reaches a Dutch (German, French) page in English; and the page finds them by the
code, never by reading the English sentence back."""

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from audio.errors import AudioCode
from ivr.document.codes import Code
from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.errors import DocumentError, Problem
from ivr.messages.failures import DeliveryCode
from ivr.web.admin.i18n import translations
from ivr.web.admin.problem_words import WORDS, problem_words, said

ROOT = Path(__file__).resolve().parents[2]
EVERY_CODE = sorted({str(code) for table in (Code, AudioCode, DeliveryCode) for code in table})
# Values of every name the words take, so each sentence is filled as on a page.
VALUES = {
    "value": "x",
    "most": 10,
    "seconds": 31,
    "rings": 6,
    "mb": 50,
    "minutes": 5,
    "file": "welkom.m4a",
    "numbers": "+31612345678",
    "text": "Welkom bij de praktijk",
    "engine": "gtts",
    "used": "espeak",
    "reason": "speech_unreachable",
    "reasons": "speech_unreachable speech_engine_missing",
    "key": "2",
    "word": "spoed",
    "placeholder": "{begroeting}",
    "known": "{business}, {salutation}",
    "kinds": "yes_no list",
    "choices": "nl, en, de, fr",
    "count": 45,
    "regions": "BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH",
    "example": "U spreekt met De Linde. U belt buiten onze openingstijden.",
    "keys": "1",
}


def test_every_code_has_its_words() -> None:
    assert sorted(set(EVERY_CODE) - set(WORDS)) == []
    assert sorted(set(WORDS) - set(EVERY_CODE)) == []  # and no words for a code nothing gives


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
@pytest.mark.parametrize("code", EVERY_CODE)
def test_no_code_falls_back_to_english(code: str, language: str) -> None:
    english = said(translations("en"), code, VALUES)
    translated = said(translations(language), code, VALUES)
    assert translated != english, f"{code} is said in English on a {language} page"
    assert "%(" not in translated and "%(" not in english  # every value filled in


def test_the_values_fill_the_sentence_in_the_page_language() -> None:
    nl = translations("nl")
    problem = Problem(
        Code.NOT_INTERNATIONAL, "operators[0]", "'0501' is not an international number: ...", {"value": "0501"}
    )
    assert problem_words(nl, problem) == (
        "0501 is geen internationaal nummer: schrijf het met landnummer, bijv. +31 50 123 4567"
    )
    # A finding about a path says first which path, in the business's language, then why in the page's.
    waits = {"path": "maandag 's ochtends → open", "seconds": 41}
    assert said(nl, Code.LONG_WAIT, waits).startswith("maandag 's ochtends → open: ")
    assert "41" in said(nl, Code.LONG_WAIT, waits)


def test_a_number_refused_shows_how_one_is_written_in_the_business_country() -> None:
    german = {"business": "Klempner", "country": "DE", "numbers": ["+49301234567"], "operators": ["030 12"]}
    with pytest.raises(DocumentError) as refused:
        validate_document(german)
    problem = refused.value.found[0]
    assert problem.message == (
        "'030 12' is not a valid phone number: check the digits; write it as 030 1234567 or +49 30 1234567"
    )
    assert problem_words(translations("de"), problem) == (
        "030 12 ist keine Telefonnummer: prüfen Sie die Ziffern, z. B. 030 1234567 oder +49 30 1234567"
    )


def _document(**changes: object) -> dict[str, object]:
    return {"business": "Praktijk", "numbers": ["+31201234567"], "operators": ["+31501234567"], **changes}


@pytest.mark.parametrize(
    ("changes", "code", "where", "values"),
    [
        # A national number is read in the business's country (issue 20): "0501234567" is +31501234567; one that
        # is not a number of that country is refused with how one is written there.
        (
            {"operators": ["0501"]},
            Code.INVALID_PHONE_NUMBER,
            "operators[0]",
            {"value": "0501", "national": "020 123 4567", "international": "+31 20 123 4567"},
        ),
        ({"rings": 14}, Code.RING_COUNT, "rings", {"value": 14, "least": 1, "most": 10}),
        ({"hours": {"mon-fri": "08:00-07:00"}}, Code.RANGE_BACKWARDS, "hours.mon-fri", {"value": "08:00-07:00"}),
        (
            {"holidays": ["Sinterklaas"]},
            Code.UNKNOWN_HOLIDAY,
            "holidays[0]",
            {"value": "Sinterklaas", "country": "NL"},
        ),
        (
            {"operators": [f"+3150123456{i}" for i in range(10)] + ["+31201111111"]},
            Code.TOO_MANY_AT_ONCE,
            "operators",
            {"count": 11, "most": 10},
        ),
        ({"overflow": {}}, Code.OVERFLOW_WITHOUT_ROUTE, "overflow", {}),
        (
            {"menu": [{"key": "x", "prompt": "Kies", "dial": "+31501234567"}]},
            Code.BAD_KEY,
            "menu[0].key",
            {"value": "x"},
        ),
        ({"business": ""}, Code.EMPTY, "business", {}),
        ({"colour": "blue"}, Code.UNKNOWN_KEY, "colour", {"key": "colour"}),
        ({"numbers": None}, Code.WRONG_KIND, "numbers", {"kinds": "list"}),
        ({"rings": "vier"}, Code.WRONG_KIND, "rings", {"kinds": "whole_number"}),
        ({"holidays": "soms"}, Code.WRONG_KIND, "holidays", {"kinds": "yes_no list"}),
        ({"hours": {"mon": 5}}, Code.WRONG_KIND, "hours.mon", {"kinds": "text list"}),
        ({"language": "english"}, Code.NOT_A_CHOICE, "language", {"value": "english", "choices": "nl, en, de, fr"}),
        (
            {"menu": [{"key": "1", "prompt": "Kies", "label": "x" * 45, "dial": "+31501234567"}]},
            Code.TOO_LONG,
            "menu[0].label",
            {"most": 30, "count": 45},
        ),
        (
            {"country": "DE", "region": "Bavaria"},
            Code.UNKNOWN_REGION,
            "region",
            {
                "value": "Bavaria",
                "country": "DE",
                "regions": "BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH, Augsburg",
            },
        ),
    ],
)
def test_validation_problems_carry_their_code_place_and_values(
    changes: dict[str, object], code: Code, where: str, values: dict[str, object]
) -> None:
    with pytest.raises(DocumentError) as refused:
        validate_document(_document(**changes))
    [problem] = refused.value.found
    assert (problem.code, problem.where, dict(problem.values)) == (code, where, values)
    assert refused.value.problems == [f"{where}: {problem.message}"]  # the English line the CLI and API print


@pytest.mark.parametrize(
    ("changes", "dutch", "english"),
    [
        (
            {"menu": [{"key": "1", "prompt": "Kies", "label": "x" * 45, "dial": "+31501234567"}]},
            "Dit is te lang: ten hoogste 30 tekens, nu 45.",
            "menu[0].label: has 45 characters; shorten it to at most 30",
        ),
        (
            {"holidays": "soms"},
            "Vul hier true of false (ja of nee) of een lijst in.",
            "holidays: must be true or false or a list, not 'soms'",
        ),
        ({"ring": "samen"}, "samen is geen van de keuzes: simultaneous, sequential.", "ring: 'samen' is not one of"),
        (
            {"colour": "blue"},
            "colour is geen bekende instelling: controleer de spelling of haal hem weg.",
            "colour: is",
        ),
    ],
)
def test_pydantics_checks_are_said_in_dutch_for_a_dutch_reader_never_in_pydantics_english(
    changes: dict[str, object], dutch: str, english: str
) -> None:
    with pytest.raises(DocumentError) as refused:
        validate_document(_document(**changes))
    [problem] = refused.value.found
    assert problem_words(translations("nl"), problem) == dutch
    assert refused.value.problems[0].startswith(english)
    assert not any(pydantic in refused.value.problems[0] for pydantic in ("should", "Input", "valid", "Extra inputs"))


def test_pydantic_reports_our_code_as_the_error_type_with_the_values_as_context() -> None:
    with pytest.raises(ValidationError) as refused:
        BusinessDocument.model_validate(_document(rings=0))
    [error] = refused.value.errors()
    assert (error["type"], error["ctx"]) == ("ring_count", {"value": 0, "least": 1, "most": 10})
    assert error["msg"] == "ring count must be from 1 to 10, got 0"


def _regex_calls(path: Path) -> list[str]:
    """Calls of the `re` module in a module (re.compile, re.search, …)."""
    tree = ast.parse(path.read_text("utf-8"))
    return [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re"
    ]


def test_the_page_reads_no_problem_by_regular_expression() -> None:
    """Regular expressions in ivr/web read only what people type (days, hours, lists) and request bodies, never
    our own sentences: the modules that word problems and show them use none."""
    web = ROOT / "ivr" / "web"
    allowed = {"forms.py", "wording.py", "bodies.py"}  # typed days and hours; a request body's fields
    using = {path.name for path in web.rglob("*.py") if _regex_calls(path)}
    assert using <= allowed, f"regular expressions in {sorted(using - allowed)}"
    for name in ("problems.py", "problem_words.py", "inbox.py", "greetings.py", "pages.py"):
        assert _regex_calls(web / "admin" / name) == [], name


def test_advice_about_a_long_recording_says_its_length_in_dutch() -> None:
    nl = translations("nl")
    long = Problem(AudioCode.LONG_FOR_KIND, "greeting.file", "a welcome of 41 s is long; keep it under 30 s", {})
    assert problem_words(nl, long).startswith("Luister er één keer naar: ")  # without values: the general advice
    timed = Problem(long.code, long.where, long.message, {"seconds": 41, "most": 30})
    assert problem_words(nl, timed) == "Dit duurt 41 s, lang voor bellers; houd het onder 30 s."

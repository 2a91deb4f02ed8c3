"""The checker on what a text says: placeholders it does not know (issue 20, item 3) and emergency options left
unmarked (item 4), table-driven over the four languages."""

from datetime import date

import pytest

from ivr.document.codes import Code
from ivr.document.lint import lint
from ivr.document.load import parse_document
from ivr.web.admin.i18n import translations
from ivr.web.admin.problem_words import problem_words

BASE = (
    'business: Bakkerij Smit\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\nlanguage: {language}\n'
    "overflow: {{voicemail: {{email: [info@example.nl]}}}}\n"
)
# A Monday: the checker walks the week from here.
MONDAY = date(2026, 11, 23)
KNOWN = "{business}, {salutation}"


def found(text: str, *codes: Code) -> list[tuple[str, str, str, dict[str, object]]]:
    return [
        (finding.code.value, finding.level.value, finding.where, dict(finding.values))
        for finding in lint(parse_document(text), today=MONDAY)
        if finding.code in codes
    ]


def greeting(language: str, text: str) -> str:
    return BASE.format(language=language) + f"greeting: {{text: {text!r}}}\n"


@pytest.mark.parametrize(
    ("language", "text", "code", "placeholder"),
    [
        ("nl", "{begroeting}, u spreekt met Bakkerij Smit.", Code.UNKNOWN_PLACEHOLDER, "{begroeting}"),
        ("de", "{gruss}, Sie sind verbunden mit Bakkerij Smit.", Code.UNKNOWN_PLACEHOLDER, "{gruss}"),
        ("en", "{Salutation}, you are through to Bakkerij Smit.", Code.UNKNOWN_PLACEHOLDER, "{Salutation}"),
        ("fr", "{salutation}, vous êtes chez {entreprise}.", Code.UNKNOWN_PLACEHOLDER, "{entreprise}"),
        ("de", "{salutation, Sie sind verbunden mit Bakkerij Smit.", Code.BROKEN_PLACEHOLDER, "{salutation,"),
        ("nl", "salutation}, u spreekt met Bakkerij Smit.", Code.BROKEN_PLACEHOLDER, "},"),
        ("en", "{{salutation}}, you are through to Bakkerij Smit.", Code.BROKEN_PLACEHOLDER, "{},"),
    ],
)
def test_an_unknown_or_broken_placeholder_is_an_error_naming_the_known_ones(
    language: str, text: str, code: Code, placeholder: str
) -> None:
    assert found(greeting(language, text), Code.UNKNOWN_PLACEHOLDER, Code.BROKEN_PLACEHOLDER) == [
        (code.value, "error", "greeting", {"placeholder": placeholder, "known": KNOWN})
    ]


@pytest.mark.parametrize("language", ["nl", "en", "de", "fr"])
def test_the_known_placeholders_pass(language: str) -> None:
    text = "{salutation}, {business}." if language != "fr" else "{salutation}, vous êtes chez {business}."
    assert found(greeting(language, text), Code.UNKNOWN_PLACEHOLDER, Code.BROKEN_PLACEHOLDER) == []


def test_placeholders_are_checked_in_every_spoken_text() -> None:
    text = (
        BASE.format(language="nl")
        + "info: {text: 'Wij zijn {gesloten}.'}\n"
        + 'menu:\n  - {key: "1", prompt: "Voor {afspraken, toets 1.", dial: ["+31612345678"]}\n'
        + "closed: {greeting: {text: '{begroeting}, Bakkerij Smit is gesloten.'}}\n"
    )
    assert [
        (code, where, values["placeholder"])
        for code, _, where, values in found(text, Code.UNKNOWN_PLACEHOLDER, Code.BROKEN_PLACEHOLDER)
    ] == [
        ("unknown_placeholder", "info", "{gesloten}"),
        ("broken_placeholder", "menu[0].prompt", "{afspraken,"),
        ("unknown_placeholder", "closed.greeting", "{begroeting}"),
    ]


def menu(language: str, prompt: str, marked: bool) -> str:
    flag = ", emergency: true" if marked else ""
    return BASE.format(language=language) + (
        f'menu:\n  - {{key: "1", prompt: {prompt!r}, dial: ["+31612345679"]{flag}}}\n'
        '  - {key: "2", prompt: "2", dial: ["+31612345678"]}\n'
    )


EMERGENCY_PROMPTS = [
    ("nl", "Voor spoedgevallen, toets 1.", "spoedgevallen"),
    ("nl", "Is het dringend? Toets 1.", "dringend"),
    ("nl", "Bij een noodgeval toets 1.", "noodgeval"),
    ("de", "Im Notfall drücken Sie die 1.", "Notfall"),
    ("de", "Wenn es dringend ist, drücken Sie die 1.", "dringend"),
    ("fr", "En cas d'urgence, tapez 1.", "urgence"),
    ("fr", "Pour un appel urgent, tapez 1.", "urgent"),
    ("en", "For emergencies, press 1.", "emergencies"),
    ("en", "If it is urgent, press 1.", "urgent"),
]


@pytest.mark.parametrize(("language", "prompt", "word"), EMERGENCY_PROMPTS)
def test_an_emergency_prompt_not_marked_is_a_warning_naming_the_key(language: str, prompt: str, word: str) -> None:
    text = menu(language, prompt, marked=False)
    assert found(text, Code.EMERGENCY_NOT_MARKED) == [
        ("emergency_not_marked", "warning", "menu[0]", {"key": "1", "word": word})
    ]
    message = next(f.message for f in lint(parse_document(text), today=MONDAY) if f.code is Code.EMERGENCY_NOT_MARKED)
    assert message == f"key 1 says {word!r} but is not marked as the emergency option; add emergency: true to it"


@pytest.mark.parametrize(("language", "prompt", "word"), EMERGENCY_PROMPTS)
def test_a_marked_emergency_prompt_passes(language: str, prompt: str, word: str) -> None:
    assert found(menu(language, prompt, marked=True), Code.EMERGENCY_NOT_MARKED) == []


@pytest.mark.parametrize(
    ("language", "prompt"),
    [("nl", "Voor recepten, toets 1."), ("de", "Für Termine drücken Sie die 1."), ("en", "For orders, press 1.")],
)
def test_an_ordinary_prompt_is_not_an_emergency(language: str, prompt: str) -> None:
    assert found(menu(language, prompt, marked=False), Code.EMERGENCY_NOT_MARKED) == []


def test_the_findings_are_worded_in_the_page_language() -> None:
    text = greeting("de", "{gruss}, Sie sind verbunden mit Bakkerij Smit.") + (
        'menu:\n  - {key: "1", prompt: "Im Notfall drücken Sie die 1.", dial: ["+31612345679"]}\n'
    )
    findings = lint(parse_document(text), today=MONDAY)
    de = translations("de")
    worded = [
        problem_words(de, finding)
        for finding in findings
        if finding.code in (Code.UNKNOWN_PLACEHOLDER, Code.EMERGENCY_NOT_MARKED)
    ]
    assert worded == [
        "{gruss} würde wörtlich vorgelesen: die Platzhalter sind {business}, {salutation}.",
        "Taste 1 nennt „Notfall“: kennzeichnen Sie sie als Notfalloption (emergency: true).",
    ]

"""The greeting checker, table-driven over good and bad greetings in each language."""

from datetime import date

import pytest

from ivr.document.lint import Level, lint
from ivr.document.load import parse_document

BASE = (
    'business: {name}\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\nlanguage: {language}\n'
    "overflow: {{voicemail: {{email: [info@example.nl]}}}}\n"
)
# A Monday: the checker walks the week from here.
MONDAY = date(2026, 11, 23)

GOOD = {
    "nl": "{salutation}, u spreekt met Bakkerij Smit.",
    "en": "{salutation}, you are through to Bakkerij Smit.",
    "de": "{salutation}, Sie sind verbunden mit Bakkerij Smit.",
    "fr": "{salutation}, vous êtes chez Bakkerij Smit.",
}
NAMELESS = {"nl": "Goedemiddag, welkom.", "en": "Hello and welcome.", "de": "Guten Tag.", "fr": "Bonjour."}
FILLER = {
    "nl": "Bakkerij Smit. Uw gesprek is belangrijk voor ons.",
    "en": "Bakkerij Smit. Your call is important to us.",
    "de": "Bakkerij Smit. Ihr Anruf ist uns wichtig.",
    "fr": "Bakkerij Smit. Votre appel est important pour nous.",
}
WEBSITE = {
    "nl": "Bakkerij Smit. Kijk op www.bakkerijsmit.nl.",
    "en": "Bakkerij Smit. Visit our website.",
    "de": "Bakkerij Smit. Schreiben Sie an info@smit.de.",
    "fr": "Bakkerij Smit. Consultez notre site web.",
}
LONG = " ".join(["Bakkerij Smit"] + ["woord"] * 40)


def document(language: str, greeting: str, extra: str = "") -> str:
    return BASE.format(name="Bakkerij Smit", language=language) + f"greeting: {{text: {greeting!r}}}\n" + extra


def found(text: str) -> list[tuple[str, str, str]]:
    return [
        (finding.level.value, finding.where, finding.message) for finding in lint(parse_document(text), today=MONDAY)
    ]


@pytest.mark.parametrize("language", ["nl", "en", "de", "fr"])
def test_a_good_greeting_has_no_findings(language: str) -> None:
    assert found(document(language, GOOD[language])) == []


@pytest.mark.parametrize("language", ["nl", "en", "de", "fr"])
def test_the_default_greeting_is_good(language: str) -> None:
    assert found(BASE.format(name="Bakkerij Smit", language=language)) == []


@pytest.mark.parametrize(
    ("table", "level", "fragment"),
    [
        (NAMELESS, "error", "the welcome does not name the business"),
        (FILLER, "warning", "drop the filler"),
        (WEBSITE, "warning", "do not send callers to a website or e-mail address"),
    ],
)
@pytest.mark.parametrize("language", ["nl", "en", "de", "fr"])
def test_bad_greetings(table: dict[str, str], level: str, fragment: str, language: str) -> None:
    findings = found(document(language, table[language]))
    assert [(found_level, where) for found_level, where, message in findings if fragment in message] == [
        (level, "greeting")
    ]


def test_a_long_welcome_is_a_warning_with_its_estimated_length() -> None:
    findings = found(document("nl", LONG))
    assert (
        "warning",
        "greeting",
        "the welcome takes about 17 s; keep it under 10 s: the name and the salutation are enough",
    ) in findings


def test_measured_durations_win_over_estimates() -> None:
    doc = parse_document(document("nl", GOOD["nl"]))
    welcome = "Goedemiddag, u spreekt met Bakkerij Smit."
    assert [f.where for f in lint(doc, {welcome: 12.5}) if f.level is Level.WARNING] == ["greeting"]


def test_long_information_is_a_warning() -> None:
    info = "info: {text: '" + " ".join(["informatie"] * 90) + "'}\n"
    assert any(where == "info" and "36 s" in message for _, where, message in found(document("nl", GOOD["nl"], info)))


def test_emergency_option_must_come_first() -> None:
    menu = (
        'menu:\n  - {key: "1", prompt: "Voor recepten, toets 1.", dial: ["+31612345678"]}\n'
        '  - {key: "2", prompt: "Voor spoed, toets 2.", dial: ["+31612345679"]}\n'
    )
    assert ("error", "menu[1]", "the emergency option must be the first option callers hear; move it to the top") in (
        found(document("nl", GOOD["nl"], menu))
    )


def test_a_path_to_a_human_over_30_seconds_is_an_error() -> None:
    info = "info: {text: '" + " ".join(["informatie"] * 70) + "'}\n"
    menu = 'menu:\n  - {key: "1", prompt: "Voor spoed, toets 1.", dial: ["+31612345678"], emergency: true}\n'
    findings = found(document("nl", GOOD["nl"], info + menu))
    # The emergency key comes before the information message, so only the caller who waits hears too much.
    assert sorted({where for level, where, _ in findings if level == "error"}) == ["menu"]


def test_more_than_five_rings_is_a_warning() -> None:
    assert ("warning", "rings", "6 rings: most callers hang up after 5 or 6; use 5 or fewer") in found(
        document("nl", GOOD["nl"], "rings: 6\n")
    )

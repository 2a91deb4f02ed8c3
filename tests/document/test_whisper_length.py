"""The whisper is held to 4 s: every whisper of every example document, in each of the four languages, is
rendered with the offline espeak-ng engine and measured; the checker's estimate warns before anything is rendered."""

from pathlib import Path

import pytest

from audio.tts.espeak_engine import EspeakEngine
from audio.wav import wav_duration_s
from ivr.document.convert import to_business
from ivr.document.lint import lint
from ivr.document.load import parse_document
from ivr.document.model import BusinessDocument
from ivr.document.whisper_check import MAX_WHISPER_S
from tests.conftest import REPO

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


def _whispers(document: BusinessDocument) -> list[str]:
    business = to_business(document, 1, part_of_day="afternoon")
    return [business.texts.whisper.text, *(prompt.text for _route, prompt in business.whispers)]


@pytest.mark.parametrize("language", ["nl", "en", "de", "fr"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_every_whisper_of_the_examples_is_spoken_within_4_s(example: Path, language: str) -> None:
    document = parse_document(example.read_text("utf-8")).model_copy(update={"language": language})
    engine = EspeakEngine(timeout_s=20)
    measured = {text: wav_duration_s(engine.synthesize(text, language)) for text in _whispers(document)}
    assert len(measured) >= 6  # the plain one, no choice, hours, holiday, period, each menu option
    too_long = {text: seconds for text, seconds in measured.items() if seconds is None or seconds > MAX_WHISPER_S}
    assert too_long == {}
    # The checker agrees, from the estimate and from the measured durations alike.
    for durations in ({}, {text: seconds or 0.0 for text, seconds in measured.items()}):
        assert [found for found in lint(document, durations) if "answering service hears" in found.message] == []


def test_a_long_label_or_name_is_a_warning_naming_what_to_shorten(demo_text: str) -> None:
    long_label = demo_text.replace("label: spoed", "label: spoedeisende huisartsenzorg")
    found = [str(finding) for finding in lint(parse_document(long_label)) if "answering service" in finding.message]
    assert found == [
        "warning: menu[0].label: the answering service hears 'Oproep voor Huisartsenpraktijk De Linde, gekozen: "
        "spoedeisende huisartsenzorg.', about 4.9 s, before the caller is put through; keep it under 4 s with a "
        "shorter label: (a word or two)"
    ]
    long_name = demo_text.replace("business: Huisartsenpraktijk De Linde", "business: Huisartsenpraktijk De Linde-Zuid")
    found = [finding.where for finding in lint(parse_document(long_name)) if "answering service" in finding.message]
    assert found == ["business"]


@pytest.mark.parametrize(
    ("language", "chosen", "no_choice", "hours"),
    [
        ("nl", "Oproep voor De Linde, gekozen: spoed.", "Oproep voor De Linde, geen keuze.", "buiten openingstijden"),
        ("en", "Call for De Linde, choice: urgent.", "Call for De Linde, no choice made.", "out of hours"),
        ("de", "Anruf für De Linde, gewählt: dringend.", "Anruf für De Linde, keine Auswahl.", "nach Geschäftsschluss"),
        ("fr", "Appel pour De Linde, choix : urgence.", "Appel pour De Linde, sans choix.", "hors horaires"),
    ],
)
def test_the_whisper_speaks_the_business_language(language: str, chosen: str, no_choice: str, hours: str) -> None:
    document = parse_document(
        f'business: De Linde\nnumbers: ["+31201234567"]\noperators: ["+31501111111"]\nlanguage: {language}\n'
        'menu: [{key: "1", prompt: "1", dial: "+31502222222", emergency: true},'
        ' {key: "2", prompt: "2", dial: "+31503333333"}]\n'
        'overflow: {dial: "+31208888888"}\n'
    )
    whispers = dict(to_business(document, 1, part_of_day="morning").whispers)
    assert (whispers["menu:1"].text, whispers["no-choice"].text) == (chosen, no_choice)
    assert hours in whispers["hours"].text
    assert whispers["menu:2"].text.endswith(("toets 2.", "key 2.", "Taste 2.", "touche 2."))

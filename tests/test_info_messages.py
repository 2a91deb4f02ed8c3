"""Ready-made information messages: every template in every language, filled from a business, passes the
greeting checker and leaves no placeholder behind."""

from datetime import date
from typing import Any

import pytest

from ivr.document.info_messages import ready_made, spoken_digits
from ivr.document.load import document_data, parse_document
from ivr.errors import InputError
from prompts import LANGUAGES
from prompts.info_templates import template_names

TODAY = date(2026, 11, 24)
# The out-of-hours number a document gives (a Dutch 088 number), and the answering service's in the demo.
REFERRAL = "+31881234567"
SERVICE = "+31208888888"


def stored(text: str) -> dict[str, Any]:
    """The document as the store keeps it (dates as ISO text)."""
    return document_data(parse_document(text))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", template_names())
def test_each_template_fills_and_passes_the_checker(demo_text: str, name: str, language: str) -> None:
    document = {**stored(demo_text), "language": language, "referral": {"number": REFERRAL}}
    text, findings = ready_made(document, name, TODAY)
    assert findings == [] and "{" not in text and "}" not in text
    assert "www" not in text and "http" not in text


def test_the_holiday_closure_names_both_days_and_the_stand_in_digit_by_digit(demo_text: str) -> None:
    # Heard as the information message, which plays only while the business is open (before its period): it
    # announces the closure from its first day, and names the stand-in's number, not what kind of stand-in it is.
    text, _ = ready_made(stored(demo_text), "holiday_closure", TODAY)
    assert text == (
        "Huisartsenpraktijk De Linde is wegens vakantie gesloten van 24 december 2026 tot en met 1 januari 2027. "
        "Voor dringende zaken belt u in die tijd 0 2 0, 9 9 9, 9 9 9 9."
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["holiday_closure", "temporary_closure"])
def test_a_closure_announced_while_open_names_its_first_day(demo_text: str, name: str, language: str) -> None:
    first_day = {
        "nl": "24 december 2026",
        "en": "24 December 2026",
        "de": "24. Dezember 2026",
        "fr": "24 décembre 2026",
    }
    text, _ = ready_made({**stored(demo_text), "language": language}, name, TODAY)
    assert first_day[language] in text, text


# Words that name a kind of business or service: a bakery's callers must not hear of a practice or a locum.
KINDS = ["praktijk", "huisarts", "waarneming", "practice", "surgery", "locum", "praxis", "arzt", "cabinet", "médecin"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", template_names())
def test_a_template_names_no_kind_of_business_the_document_does_not(demo_text: str, name: str, language: str) -> None:
    bakery = stored(demo_text.replace("Huisartsenpraktijk De Linde", "Bakkerij Smit"))
    document = {**bakery, "language": language, "referral": {"number": REFERRAL}}
    text, _ = ready_made(document, name, TODAY)
    assert not [kind for kind in KINDS if kind in text.lower()], text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_busy_notice_names_no_hour_and_promises_no_order(demo_text: str, language: str) -> None:
    # Nothing puts urgent calls first, and the hour to call back is not in the document.
    text, _ = ready_made({**stored(demo_text), "language": language}, "busy_period", TODAY)
    invented = {"nl": ["elf uur", "eerst"], "en": ["eleven", "first"], "de": ["elf uhr", "zuerst"]}
    invented["fr"] = ["onze heures", "d'abord"]
    assert not [words for words in invented[language] if words in text.lower()], text


def test_a_template_that_needs_a_period_says_so(demo_text: str) -> None:
    document = {**stored(demo_text), "periods": []}
    with pytest.raises(InputError, match="add a period"):
        ready_made(document, "holiday_closure", TODAY)
    with pytest.raises(InputError, match="no template 'nonsense'"):
        ready_made(document, "nonsense", TODAY)


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        ("+31209999999", "0 2 0, 9 9 9, 9 9 9 9"),
        ("+31612345678", "0 6, 1 2 3 4 5 6 7 8"),
        ("+442079460000", "0 2 0, 7 9 4 6, 0 0 0 0"),
    ],
)
def test_numbers_are_read_digit_by_digit_in_their_groups(number: str, spoken: str) -> None:
    assert spoken_digits(number) == spoken


@pytest.mark.parametrize(
    ("language", "unnamed", "named"),
    [
        (
            "nl",
            "Buiten onze openingstijden belt u voor dringende zaken 0 8 8, 1 2 3, 4 5 6 7. "
            "Bij levensgevaar belt u 1 1 2.",
            "Buiten onze openingstijden belt u voor dringende zaken de huisartsenpost Groningen op 0 8 8, 1 2 3, "
            "4 5 6 7. Bij levensgevaar belt u 1 1 2.",
        ),
        (
            "en",
            "Outside our opening hours, for anything urgent, please call 0 8 8, 1 2 3, 4 5 6 7. If a life is in "
            "danger, call 1 1 2.",
            "Outside our opening hours, for anything urgent, please call the GP out-of-hours service on 0 8 8, 1 2 3, "
            "4 5 6 7. If a life is in danger, call 1 1 2.",
        ),
        (
            "de",
            "Außerhalb unserer Öffnungszeiten rufen Sie in dringenden Fällen die 0 8 8, 1 2 3, 4 5 6 7 an. Bei "
            "Lebensgefahr wählen Sie 1 1 2.",
            "Außerhalb unserer Öffnungszeiten rufen Sie in dringenden Fällen den Notdienst unter 0 8 8, 1 2 3, "
            "4 5 6 7 an. Bei Lebensgefahr wählen Sie 1 1 2.",
        ),
        (
            "fr",
            "En dehors de nos heures d'ouverture, pour une urgence, appelez le 0 8 8, 1 2 3, 4 5 6 7. En cas de "
            "danger de mort, appelez le 1 1 2.",
            "En dehors de nos heures d'ouverture, pour une urgence, appelez la maison médicale de garde au 0 8 8, "
            "1 2 3, 4 5 6 7. En cas de danger de mort, appelez le 1 1 2.",
        ),
    ],
)
def test_out_of_hours_names_only_the_documents_referral(
    demo_text: str, language: str, unnamed: str, named: str
) -> None:
    names = {
        "nl": "de huisartsenpost Groningen",
        "en": "the GP out-of-hours service",
        "de": "den Notdienst",
        "fr": "la maison médicale de garde",
    }
    document = {**stored(demo_text), "language": language}
    # Without referral: nothing to name: the answering service's number is never offered to callers instead.
    with pytest.raises(InputError, match="add referral: "):
        ready_made(document, "out_of_hours", TODAY)
    text, findings = ready_made({**document, "referral": {"number": REFERRAL}}, "out_of_hours", TODAY)
    assert (text, findings) == (unnamed, [])
    assert "huisartsenpost" not in text and "0 2 0, 8 8 8" not in text
    text, findings = ready_made(
        {**document, "referral": {"number": REFERRAL, "name": names[language]}}, "out_of_hours", TODAY
    )
    assert (text, findings) == (named, [])
    assert ("huisartsenpost" in text) == (language == "nl")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_outbreak_notice_promises_no_call_back(demo_text: str, language: str) -> None:
    text, _ = ready_made({**stored(demo_text), "language": language}, "outbreak", TODAY)
    call_backs = ["terugbel", "bellen u terug", "call you back", "zurückrufen", "rufen sie zurück", "rappel"]
    assert not [words for words in call_backs if words in text.lower()]

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


def stored(text: str) -> dict[str, Any]:
    """The document as the store keeps it (dates as ISO text)."""
    return document_data(parse_document(text))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", template_names())
def test_each_template_fills_and_passes_the_checker(demo_text: str, name: str, language: str) -> None:
    document = {**stored(demo_text), "language": language}
    text, findings = ready_made(document, name, TODAY)
    assert findings == [] and "{" not in text and "}" not in text
    assert "www" not in text and "http" not in text


def test_the_holiday_closure_names_the_last_day_and_the_stand_in_digit_by_digit(demo_text: str) -> None:
    text, _ = ready_made(stored(demo_text), "holiday_closure", TODAY)
    assert text == (
        "Huisartsenpraktijk De Linde is gesloten tot en met 1 januari 2027. "
        "Voor dringende zaken belt u de waarneming op 0 2 0, 9 9 9, 9 9 9 9."
    )


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

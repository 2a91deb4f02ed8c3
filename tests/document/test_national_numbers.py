"""Numbers are read in the business's country (issue 20): YAML, API and admin page take "020 123 4567" from a
Dutch practice as the page always did, and a refusal shows how a number is written in that country."""

import pytest

from ivr.document.load import dump_document, parse_document, validate_document
from ivr.document.phones import read_number
from ivr.errors import DocumentError
from ivr.web.admin.forms import local_numbers

DUTCH = """\
business: Huisartsenpraktijk De Linde
numbers: "020 123 4567"
operators: ["06 12345678", "+32 470 12 34 56", "0031 50 123 4567"]
overflow:
  voicemail: {email: [praktijk@example.nl], sms: ["06-87654321"]}
"""


def test_a_dutch_document_takes_national_numbers_and_stores_them_in_e164() -> None:
    document = parse_document(DUTCH)
    assert document.numbers == ["+31201234567"]
    assert document.operators == ["+31612345678", "+32470123456", "+31501234567"]
    assert document.overflow is not None and document.overflow.voicemail is not None
    assert document.overflow.voicemail.sms == ["+31687654321"]
    assert "+31201234567" in dump_document(document) and "020 123 4567" not in dump_document(document)


@pytest.mark.parametrize(
    ("country", "typed", "read"),
    [
        ("NL", "020 123 4567", "+31201234567"),
        ("DE", "030 1234567", "+49301234567"),
        ("BE", "02 234 56 78", "+3222345678"),
        ("FR", "01 23 45 67 89", "+33123456789"),
        ("GB", "020 7123 4567", "+442071234567"),
        ("US", "(201) 555-0123", "+12015550123"),
    ],
)
def test_each_country_reads_its_own_national_numbers(country: str, typed: str, read: str) -> None:
    data = {"business": "Zaak", "country": country, "numbers": [typed], "operators": ["+31612345678"]}
    assert validate_document(data).numbers == [read]
    assert read_number(typed, country) == read
    assert local_numbers([typed], country) == [read]  # the admin page reads it with the same function


@pytest.mark.parametrize(
    ("country", "example"),
    [("NL", "020 123 4567 or +31 20 123 4567"), ("DE", "030 1234567 or +49 30 1234567")],
)
def test_a_refused_number_shows_an_example_from_the_business_country(country: str, example: str) -> None:
    data = {"business": "Zaak", "country": country, "numbers": ["0201"], "operators": ["+31612345678"]}
    with pytest.raises(DocumentError) as refused:
        validate_document(data)
    assert refused.value.problems == [
        f"numbers[0]: '0201' is not a valid phone number: check the digits; write it as {example}"
    ]


def test_the_same_digits_are_another_number_in_another_country() -> None:
    german = {"business": "Klempner", "country": "DE", "numbers": ["030 1234567"], "operators": ["0170 1234567"]}
    assert validate_document(german).operators == ["+491701234567"]
    # A country the document does not take reads only international numbers, and both are refused together.
    unknown = {**german, "country": "XX"}
    with pytest.raises(DocumentError) as refused:
        validate_document(unknown)
    assert sorted(problem.code for problem in refused.value.found) == [
        "not_a_choice",
        "not_international",
        "not_international",
    ]

"""`texts:`: the business's own voicemail prompt, goodbye and "nobody available", checked like every text a caller
hears, and the language's where it writes none."""

from typing import Any

import pytest

from ivr.document.convert import to_business
from ivr.document.load import validate_document
from ivr.errors import DocumentError
from ivr.usecases.editing import checked

DOCUMENT: dict[str, Any] = {
    "business": "Bakkerij Smit",
    "numbers": ["+31501234567"],
    "operators": ["+31501111111"],
    "overflow": {"voicemail": {"email": ["smit@example.nl"]}},
}


def test_own_texts_replace_the_languages_and_the_rest_stay() -> None:
    own = {**DOCUMENT, "texts": {"goodbye": "Bedankt, {business}.", "voicemail": "Spreek uw bericht in."}}
    texts = to_business(validate_document(own), 1, part_of_day="morning").texts
    assert (texts.goodbye.text, texts.voicemail.text) == ("Bedankt, Bakkerij Smit.", "Spreek uw bericht in.")
    assert texts.unavailable.text == "Er is nu helaas niemand bereikbaar. Probeer het later opnieuw."


@pytest.mark.parametrize(
    ("texts", "code"),
    [
        ({"goodbye": "Tot ziens, {naam}."}, "unknown_placeholder"),
        ({"unavailable": "Niemand bereikbaar, druk op 5."}, "key_not_taken"),  # no key is taken while it plays
        ({"voicemail": ""}, "empty"),
        ({"voicemail": "x" * 301}, "too_long"),
        ({"welcome": "Hallo"}, "unknown_key"),
    ],
)
def test_own_texts_are_checked_as_every_text_a_caller_hears(texts: dict[str, str], code: str) -> None:
    with pytest.raises(DocumentError) as refused:
        checked({**DOCUMENT, "texts": texts})
    assert [(problem.where.split(".")[0], problem.code) for problem in refused.value.found] == [("texts", code)]

"""Changing fields of a stored document by path: what is not named stays as written."""

from typing import Any

import pytest

from ivr.document.fields import NO_DEFAULT, default_at, with_fields

STORED: dict[str, Any] = {
    "business": "De Linde",
    "overflow": {"dial": ["+31208888888"], "notes": {"email": ["a@example.nl"]}},
    "closed": {"greeting": {"text": "Gesloten.", "media": "ab" * 8}},
    "daily_summary": {"email": ["a@example.nl"]},
}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # A key inside a part: its neighbours stay.
        ({"overflow.dial": ["+31209999999"]}, {"dial": ["+31209999999"], "notes": {"email": ["a@example.nl"]}}),
        # None removes a key; a part left empty goes with it.
        ({"overflow.notes": None}, {"dial": ["+31208888888"]}),
        ({"overflow.dial": None, "overflow.notes": None}, None),
        # A whole part is replaced.
        ({"overflow": {"voicemail": {"email": ["b@example.nl"]}}}, {"voicemail": {"email": ["b@example.nl"]}}),
        ({"overflow": None}, None),
    ],
)
def test_a_path_changes_that_key_only(fields: dict[str, Any], expected: dict[str, Any] | None) -> None:
    changed = with_fields(STORED, fields)
    assert changed.get("overflow") == expected
    assert {key: value for key, value in changed.items() if key != "overflow"} == {
        key: value for key, value in STORED.items() if key != "overflow"
    }


def test_a_text_changed_keeps_its_recording_and_the_stored_document_is_not_touched() -> None:
    before = repr(STORED)
    changed = with_fields(STORED, {"closed.greeting.text": "Vandaag dicht.", "closed.holiday.text": "Feestdag."})
    assert changed["closed"] == {
        "greeting": {"text": "Vandaag dicht.", "media": "ab" * 8},
        "holiday": {"text": "Feestdag."},
    }
    assert repr(STORED) == before


def test_a_value_already_there_or_the_default_of_one_left_out_is_not_written() -> None:
    unchanged = {"rings": 4, "ring": "simultaneous", "holidays": True, "daily_summary.at": "17:30", "menu": []}
    assert with_fields(STORED, unchanged) == STORED
    assert with_fields(STORED, {"daily_summary.at": "18:00"})["daily_summary"]["at"] == "18:00"
    assert with_fields(STORED, {"rings": 5})["rings"] == 5


def test_defaults_come_from_the_document_model() -> None:
    assert default_at(["rings"]) == 4
    assert default_at(["daily_summary", "at"]) == "17:30"
    assert default_at(["overflow", "voicemail", "sms"]) == []
    assert default_at(["operators"]) is NO_DEFAULT  # required
    assert default_at(["no_such_key"]) is NO_DEFAULT
    assert default_at(["overflow", "no_such_key"]) is NO_DEFAULT

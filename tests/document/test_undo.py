"""Undoing one change keeps every later one (ivr.document.undo): the ring count, an added period and the welcome
of the issue's day, undone one at a time."""

from typing import Any

import pytest

from ivr.document.undo import undone

CHRISTMAS = {"from": "2026-12-24", "to": "2027-01-01", "dial": ["+31209999999"]}
FEBRUARY = {"from": "2027-02-15", "to": "2027-02-19", "dial": ["+31509876543"]}
START: dict[str, Any] = {
    "business": "De Linde",
    "greeting": {"text": "Goedemorgen."},
    "rings": 4,
    "periods": [CHRISTMAS],
}
# The day: rings 4 -> 3, then a period added, then an uploaded welcome.
RINGS = {**START, "rings": 3}
PERIOD = {**RINGS, "periods": [CHRISTMAS, FEBRUARY]}
WELCOME = {**PERIOD, "greeting": {"file": "welkom.wav", "media": "ab" * 32}}


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # Undo the ring count: the period and the welcome stay.
        (START, RINGS, {**WELCOME, "rings": 4}),
        # Undo the added period: only that one goes; the ring count and the welcome stay.
        (RINGS, PERIOD, {**WELCOME, "periods": [CHRISTMAS]}),
        # Undo the welcome: the typed one is back, the rest stays.
        (PERIOD, WELCOME, PERIOD),
    ],
    ids=["rings", "period", "welcome"],
)
def test_one_change_is_undone_and_the_later_ones_stay(
    before: dict[str, Any], after: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert undone(before, after, WELCOME) == expected


def test_a_removed_item_comes_back_where_it_was_and_a_later_addition_stays() -> None:
    before = {"periods": [CHRISTMAS, FEBRUARY]}
    after = {"periods": [FEBRUARY]}  # Christmas deleted
    later = {"periods": [FEBRUARY, {"from": "2027-05-01", "to": "2027-05-02"}]}
    assert undone(before, after, later) == {"periods": [CHRISTMAS, FEBRUARY, later["periods"][1]]}


def test_an_edited_item_goes_back_and_a_key_added_by_the_change_is_taken_out() -> None:
    before = {"business": "B", "overflow": {"dial": ["+31208888888"]}}
    after = {"business": "B", "overflow": {"dial": ["+31207777777"], "notes": {"email": ["a@example.nl"]}}}
    now = {**after, "business": "B renamed", "confirm": True}
    assert undone(before, after, now) == {
        "business": "B renamed",
        "overflow": {"dial": ["+31208888888"]},
        "confirm": True,
    }


def test_a_key_the_change_removed_comes_back_in_its_place() -> None:
    before = {"business": "B", "info": {"text": "Open tot vijf."}, "rings": 4}
    after = {"business": "B", "rings": 4}
    assert list(undone(before, after, after)) == ["business", "info", "rings"]


def test_undoing_a_change_nothing_has_touched_since_is_the_version_before_it() -> None:
    assert undone(START, RINGS, RINGS) == START
    assert undone(RINGS, PERIOD, PERIOD) == RINGS

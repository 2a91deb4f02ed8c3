"""The admin page's forms as document fields: the overflow's, opening hours as people write them."""

import pytest

from ivr.document.fields import with_fields
from ivr.web.admin.forms import hours_line, hours_part, overflow_part
from ivr.web.admin.i18n import translations
from ivr.web.admin.wording import english_days, route

STORED = {"dial": ["+31208888888"], "notes": {"email": ["a@example.nl"], "sms": ["+31687654321"]}}


def test_the_answering_services_notes_stay_while_calls_go_to_it() -> None:
    part = overflow_part("dial", "+31209999999", "", "", "NL")
    assert with_fields({"overflow": STORED}, part)["overflow"] == {**STORED, "dial": ["+31209999999"]}


def test_switching_to_voicemail_drops_the_services_notes_with_it() -> None:
    part = overflow_part("voicemail", "", "b@example.nl, c@example.nl", "06 1234 5678", "NL")
    box = {"email": ["b@example.nl", "c@example.nl"], "sms": ["+31612345678"]}
    assert with_fields({"overflow": STORED}, part)["overflow"] == {"voicemail": box}


def test_a_box_without_numbers_stays_without_and_one_without_addresses_too() -> None:
    assert overflow_part("voicemail", "", "b@example.nl", "", "NL")["overflow.voicemail"] == {"email": ["b@example.nl"]}
    assert overflow_part("voicemail", "", "", "0612345678", "NL")["overflow.voicemail"] == {"sms": ["+31612345678"]}


def test_nobody_removes_the_overflow_and_an_unsaid_kind_changes_nothing() -> None:
    assert overflow_part("none", "", "", "", "NL") == {"overflow": None}
    assert overflow_part(None, "+31209999999", "", "", "NL") == {}


@pytest.mark.parametrize(
    ("typed", "days", "times"),
    [
        ("ma-vr 08:00-17:00", "mon-fri", "08:00-17:00"),
        ("ma t/m vr 08:00-12:00, 13:00-17:00", "mon-fri", "08:00-12:00, 13:00-17:00"),
        ("maandag tot en met vrijdag 08:00-17:00", "mon-fri", "08:00-17:00"),
        ("ma, wo en vr 08:00-12:00", "mon,wed,fri", "08:00-12:00"),
        ("za gesloten", "sat", "closed"),
        ("Mo bis Fr 08:00-17:00", "mon-fri", "08:00-17:00"),
        ("lun au ven 08:00-17:00", "mon-fri", "08:00-17:00"),
        ("sam. fermé", "sat", "closed"),
        ("Mon-Fri: 09:00-17:00", "mon-fri", "09:00-17:00"),
    ],
)
def test_opening_hours_are_read_as_people_write_them(typed: str, days: str, times: str) -> None:
    found_days, found_times = hours_line(typed)
    assert (english_days(found_days), found_times) == (days, times)


def test_hours_that_mean_what_is_stored_stay_as_written() -> None:
    stored = {"mon-fri": ["08:00-12:00", "13:00-17:00"], "sat": "closed"}
    assert hours_part({"mon-fri": "08:00-12:00, 13:00-17:00", "sat": "closed"}, stored) is stored
    assert hours_part({"mon-fri": "08:00-12:00"}, stored) == {"mon-fri": "08:00-12:00"}
    assert hours_part({}, stored) is None
    assert hours_part({"mon-fri": "8 to 5"}, stored) == {"mon-fri": "8 to 5"}  # validation names the problem


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (["closed:hours", "emergency:1"], "buiten openingstijden → noodtoets 1"),
        (["closed:hours", "emergency:wrong:7"], "buiten openingstijden → verkeerde toets 7"),
        (
            ["closed:hours", "emergency:1", "emergency:completed"],
            "buiten openingstijden → noodtoets 1 → noodnummer: opgenomen",
        ),
        (
            ["period:2026-12-24", "closed:busy>voicemail:period:2026-12-24"],
            "bijzondere periode → in gesprek → voicemail",
        ),
    ],
)
def test_a_closed_call_with_the_emergency_key_and_its_box_in_words(path: list[str], words: str) -> None:
    assert route(translations("nl"), path, 4) == words

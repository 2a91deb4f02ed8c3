"""The admin page's forms as document parts: the overflow's voicemail box, opening hours as people write them."""

import pytest

from ivr.web.admin.forms import hours_line, overflow_part
from ivr.web.admin.wording import english_days

STORED = {"voicemail": {"email": ["a@example.nl"], "sms": ["+31687654321"]}}


def test_editing_the_addresses_keeps_the_sms_numbers() -> None:
    part = overflow_part("voicemail", "", "b@example.nl, c@example.nl", STORED)
    assert part == {"overflow": {"voicemail": {"email": ["b@example.nl", "c@example.nl"], "sms": ["+31687654321"]}}}


def test_a_box_without_numbers_stays_without() -> None:
    part = overflow_part("voicemail", "", "b@example.nl", {"dial": ["+31208888888"]})
    assert part == {"overflow": {"voicemail": {"email": ["b@example.nl"]}}}


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

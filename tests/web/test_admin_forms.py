"""The admin page's overflow form edits a voicemail box's addresses and keeps its SMS numbers."""

from ivr.web.admin.forms import overflow_part

STORED = {"voicemail": {"email": ["a@example.nl"], "sms": ["+31687654321"]}}


def test_editing_the_addresses_keeps_the_sms_numbers() -> None:
    part = overflow_part("voicemail", "", "b@example.nl, c@example.nl", STORED)
    assert part == {"overflow": {"voicemail": {"email": ["b@example.nl", "c@example.nl"], "sms": ["+31687654321"]}}}


def test_a_box_without_numbers_stays_without() -> None:
    part = overflow_part("voicemail", "", "b@example.nl", {"dial": ["+31208888888"]})
    assert part == {"overflow": {"voicemail": {"email": ["b@example.nl"]}}}

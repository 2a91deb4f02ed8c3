from datetime import time

import pytest

from ivr.callflow.model import Country, DialNumbers, TimeRange, Voicemail
from ivr.document.convert import to_business
from ivr.document.hours import parse_days, parse_hours
from ivr.document.load import dump_document, parse_document
from ivr.errors import DocumentError

MINIMAL = 'business: Loodgieter Jansen\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\n'


def problems(text: str) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        parse_document(text)
    return caught.value.problems


def test_the_demo_document_is_valid_and_converts(demo_text: str) -> None:
    business = to_business(parse_document(demo_text), 1, part_of_day="morning")
    assert business.name == "Huisartsenpraktijk De Linde"
    assert business.greeting.text == "Goedemorgen, u spreekt met Huisartsenpraktijk De Linde."
    assert business.menu[0].destination == DialNumbers(("+31612345678",))
    assert business.closed.destination == Voicemail(("praktijk@example.nl",), ("+31687654321",), "closed")
    assert business.hours is not None and business.hours.by_weekday[0] == (TimeRange(time(8), time(17)),)


def test_defaults_fill_a_minimal_document() -> None:
    business = to_business(parse_document(MINIMAL), 1, part_of_day="evening")
    assert business.greeting.text == "Goedenavond, u spreekt met Loodgieter Jansen."
    assert (business.rings, business.country, business.hours) == (4, Country.NL, None)
    assert business.texts.whisper.text == "Oproep voor Loodgieter Jansen."


def test_export_gives_an_equivalent_document(demo_text: str) -> None:
    document = parse_document(demo_text)
    assert parse_document(dump_document(document)) == document


def test_every_problem_is_listed_with_its_place_and_fix() -> None:
    found = problems(
        "business: X\n"
        'numbers: ["0501"]\n'
        'operators: ["+31 6 1234"]\n'
        "rings: 14\n"
        "language: es\n"
        "timezone: Europe/Groningen\n"
        "menu:\n"
        '  - {key: "1", prompt: a, dial: ["+31612345678"]}\n'
        '  - {key: "1", prompt: b, dial: ["+31612345678"]}\n'
        "overflow: {dial: '+31208888888', voicemail: {email: [nobody]}}\n"
        "colour: blue\n"
    )
    joined = "\n".join(found)
    # Read as a Dutch number (the document's country), it has too few digits; the example is a Dutch one.
    assert "numbers[0]: '0501' is not a valid phone number" in joined
    assert "020 123 4567 or +31 20 123 4567" in joined  # the example of how to write it
    assert "operators[0]: '+31 6 1234' is not a valid phone number" in joined
    assert "rings: ring count must be from 1 to 10, got 14" in joined
    assert "language:" in joined
    assert "timezone: unknown time zone 'Europe/Groningen'" in joined
    assert "menu: key 1 is used twice" in joined
    assert "overflow.voicemail.email[0]: 'nobody' is not an e-mail address" in joined
    assert "colour: is not a known key" in joined


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "menu: " + str([{"key": str(k), "prompt": "p", "dial": ["+31612345678"]} for k in range(5)]),
            "at most 4 options",
        ),
        ('menu: [{key: "1", prompt: "Spoed"}]', "needs dial: [numbers] or voicemail:"),
        ('menu: [{key: "12", prompt: "x", dial: ["+31612345678"]}]', "key must be one of 0-9, * or #, got '12'"),
        ('menu: [{key: "1", prompt: "x", dial: ["+31612345678"], menu: []}]', "menu[0].menu: is not a known key"),
        ("rings: 0", "ring count must be from 1 to 10, got 0"),
        ('hours: {mon-fry: "08:00-17:00"}', "'mon-fry' is not a day"),
        ('hours: {mon: "17:00-08:00"}', "ends before it starts"),
        ('hours: {mon-fri: "08:00-17:00", fri: "09:00-12:00"}', "fri is given twice"),
        ("periods: [{from: 2026-12-31, to: 2026-12-24, dial: '+31209999999'}]", "swap from: and to:"),
        ("country: XX", "country:"),
        ("greeting: {}", "give either text:"),
        ('numbers: ["+31201234567", "+31201234567"]', "listed twice"),
        ("overflow: {voicemail: {}}", "a voicemail box needs email: [addresses] and/or sms: [numbers]"),
        ("overflow: {voicemail: {email: [a@example.nl, a@example.nl]}}", "a@example.nl is listed twice"),
        ("overflow: {voicemail: {sms: ['06123']}}", "overflow.voicemail.sms[0]: '06123' is not a valid phone number"),
        ("overflow: {voicemail: {email: [a@example.nl], fax: [x]}}", "overflow.voicemail.fax: is not a known key"),
        ("missed_calls: {email: []}", "missed_calls.email: give at least one address, or leave this part out"),
        ("missed_calls: {sms: ['+31612345678']}", "missed_calls.sms: is not a known key"),
        ("daily_summary: {email: [a@example.nl], at: '25:00'}", "at: must be a local time as HH:MM"),
        ("daily_summary: {at: '17:30'}", "daily_summary.email: is required"),
    ],
)
def test_refusals(extra: str, expected: str) -> None:
    text = MINIMAL if extra.startswith("numbers") is False else MINIMAL.replace('numbers: ["+31201234567"]\n', "")
    assert any(expected in problem for problem in problems(text + extra + "\n")), problems(text + extra + "\n")


def test_broken_yaml_names_the_line() -> None:
    assert problems("business: [unclosed\nnumbers: x\n")[0].startswith("line ")


def test_uk_is_accepted_as_gb() -> None:
    assert parse_document(MINIMAL + "country: UK\n").country == "GB"


@pytest.mark.parametrize(
    ("spec", "days"),
    [("mon-fri", [0, 1, 2, 3, 4]), ("sat", [5]), ("mon,wed,fri", [0, 2, 4]), ("mon-tue, sun", [0, 1, 6])],
)
def test_day_specs(spec: str, days: list[int]) -> None:
    assert parse_days(spec) == days


def test_hours_with_lunch_break_and_closed_days() -> None:
    hours = parse_hours({"mon-fri": "08:00-12:00, 13:00-17:00", "sat": ["09:00-12:00"], "sun": "closed"})
    assert hours.by_weekday[0] == (TimeRange(time(8), time(12)), TimeRange(time(13), time(17)))
    assert hours.by_weekday[5] == (TimeRange(time(9), time(12)),)
    assert hours.by_weekday[6] == ()


MESSAGES = """\
overflow: {voicemail: {email: [a@example.nl, b@example.nl], sms: ["+31612345678"]}}
menu:
  - {key: "2", prompt: "Voor offertes, toets 2.", voicemail: {sms: "+31687654321"}}
closed: {voicemail: {email: praktijk@example.nl}}
periods:
  - {from: 2026-12-24, to: 2026-12-26, voicemail: {email: [kerst@example.nl]}}
missed_calls: {email: [balie@example.nl]}
daily_summary: {email: [eigenaar@example.nl], at: 8:05}
"""


def test_every_voicemail_box_names_its_recipients_and_its_box() -> None:
    business = to_business(parse_document(MINIMAL + MESSAGES), 1, part_of_day="morning")
    assert business.overflow == Voicemail(("a@example.nl", "b@example.nl"), ("+31612345678",), "overflow")
    assert business.menu[0].destination == Voicemail((), ("+31687654321",), "menu:2")
    assert business.closed.destination == Voicemail(("praktijk@example.nl",), (), "closed")
    assert business.periods[0].destination == Voicemail(("kerst@example.nl",), (), "period:2026-12-24")


def test_missed_calls_and_daily_summary_are_read_and_exported_back() -> None:
    document = parse_document(MINIMAL + MESSAGES)
    assert document.missed_calls is not None and document.missed_calls.email == ["balie@example.nl"]
    # An unquoted 8:05 is a base-60 number to YAML 1.1; it is read back as the time it was meant to be.
    assert document.daily_summary is not None and document.daily_summary.at == "08:05"
    exported = dump_document(document)
    assert "daily_summary:\n  email:\n  - eigenaar@example.nl\n  at: 08:05" in exported
    assert parse_document(exported) == document


def test_daily_summary_defaults_to_half_past_five() -> None:
    document = parse_document(MINIMAL + "daily_summary: {email: [e@example.nl]}\n")
    assert document.daily_summary is not None and document.daily_summary.at == "17:30"
    assert parse_document(dump_document(document)) == document


def test_voicemail_boxes_by_name() -> None:
    from ivr.callflow.model import voicemail_boxes

    boxes = voicemail_boxes(to_business(parse_document(MINIMAL + MESSAGES), 1, part_of_day="morning"))
    assert sorted(boxes) == ["closed", "menu:2", "overflow", "period:2026-12-24"]
    assert boxes["menu:2"].sms == ("+31687654321",)

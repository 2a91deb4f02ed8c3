from datetime import UTC, date, datetime

import pytest

from ivr.document.instructions import InstructionsInForce, instructions_in_force
from ivr.document.lint import lint
from ivr.document.load import parse_document
from ivr.errors import DocumentError

SERVICE = (
    "business: Installatiebedrijf Jansen\n"
    'numbers: ["+31201234567"]\n'
    'operators: ["+31612345678"]\n'
    'overflow: {dial: "+31208888888", notes: {email: [kantoor@jansen.nl], sms: ["+31687654321"]}}\n'
    'instructions: {text: "Afspraken alleen op dinsdag.", urgent: "Monteur Piet, 06 1111 2222."}\n'
    "periods:\n"
    "  - from: 2026-12-24\n"
    "    to: 2027-01-01\n"
    '    dial: "+31208888888"\n'
    '    instructions: {text: "Geen afspraken tot 2 januari; alleen storingen."}\n'
    "  - {from: 2027-02-10, to: 2027-02-12, dial: '+31208888888'}\n"
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (
            _at(date(2026, 12, 23)),
            InstructionsInForce("Afspraken alleen op dinsdag.", "Monteur Piet, 06 1111 2222."),
        ),
        (
            _at(date(2026, 12, 24)),
            InstructionsInForce(
                "Geen afspraken tot 2 januari; alleen storingen.",
                "Monteur Piet, 06 1111 2222.",
                (date(2026, 12, 24), date(2027, 1, 1)),
            ),
        ),
        # 1 January 23:30 UTC is already 2 January in Amsterdam: the period is over there.
        (
            datetime(2027, 1, 1, 23, 30, tzinfo=UTC),
            InstructionsInForce("Afspraken alleen op dinsdag.", "Monteur Piet, 06 1111 2222."),
        ),
        (
            datetime(2027, 1, 1, 22, 30, tzinfo=UTC),
            InstructionsInForce(
                "Geen afspraken tot 2 januari; alleen storingen.",
                "Monteur Piet, 06 1111 2222.",
                (date(2026, 12, 24), date(2027, 1, 1)),
            ),
        ),
        # A period without instructions of its own keeps the standing ones.
        (
            _at(date(2027, 2, 11)),
            InstructionsInForce("Afspraken alleen op dinsdag.", "Monteur Piet, 06 1111 2222."),
        ),
    ],
)
def test_a_period_replaces_the_standing_instructions_on_its_days(moment: datetime, expected: object) -> None:
    assert instructions_in_force(parse_document(SERVICE), moment) == expected


def test_no_instructions_anywhere_is_none() -> None:
    document = parse_document('business: X\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\n')
    assert instructions_in_force(document, _at(date(2026, 12, 24))) is None


def _problems(text: str) -> str:
    with pytest.raises(DocumentError) as caught:
        parse_document(text)
    return "\n".join(caught.value.problems)


def test_bad_instructions_and_notes_are_named_with_their_fix() -> None:
    base = 'business: X\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\n'
    assert "instructions.text" in _problems(base + "instructions: {urgent: bel 06}\n")
    found = _problems(base + 'overflow: {voicemail: {email: [a@b.nl]}, notes: {email: ["c@d.nl"]}}\n')
    assert "give overflow a dial: NUMBER, or drop notes:" in found
    found = _problems(base + 'overflow: {dial: "+31208888888", notes: {}}\n')
    assert "nobody reads the call notes" in found
    found = _problems(base + 'overflow: {dial: "+31208888888", notes: {sms: ["0612"]}}\n')
    assert "overflow.notes.sms[0]" in found
    long_label = "x" * 31
    found = _problems(base + f'menu: [{{key: "1", prompt: p, dial: "+31612345678", label: {long_label}}}]\n')
    assert "menu[0].label" in found


def test_instructions_without_an_answering_service_are_a_warning() -> None:
    base = 'business: X\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\ninstructions: {text: Bel terug.}\n'
    found = [str(finding) for finding in lint(parse_document(base)) if finding.where == "instructions"]
    assert found == [
        "warning: instructions: instructions are shown to an answering service on its card, but no call goes to "
        "one: give overflow a dial: NUMBER (the service), or drop instructions:"
    ]
    served = base + 'overflow: {dial: "+31208888888"}\n'
    assert [finding for finding in lint(parse_document(served)) if finding.where == "instructions"] == []

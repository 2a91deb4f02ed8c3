"""A number keyed in for a callback (or read off the call), checked by the numbering plan: table-driven."""

import pytest

from ivr.callflow.callback import NumberProblem, SpokenNumber
from ivr.document.keyed_numbers import caller_number, keyed_number


@pytest.mark.parametrize(
    ("digits", "country", "found"),
    [
        ("0612345678", "NL", SpokenNumber("+31612345678", ("06", "12", "34", "56", "78"))),
        ("0031612345678", "NL", SpokenNumber("+31612345678", ("06", "12", "34", "56", "78"))),
        ("0201234567", "NL", SpokenNumber("+31201234567", ("020", "123", "4567"))),
        ("0032470123456", "NL", SpokenNumber("+32470123456", ("+32", "470", "12", "34", "56"))),
        ("03012345678", "DE", SpokenNumber("+493012345678", ("030", "12345678"))),
        ("061234", "NL", NumberProblem.TOO_SHORT),
        ("", "NL", NumberProblem.TOO_SHORT),
        ("06123456789", "NL", NumberProblem.TOO_LONG),
        ("0612345678901234567", "NL", NumberProblem.TOO_LONG),
        ("0900123456", "NL", NumberProblem.PREMIUM),
        ("0909123456", "NL", NumberProblem.PREMIUM),
        ("12*3", "NL", NumberProblem.NOT_A_NUMBER),
        ("1", "NL", NumberProblem.NOT_A_NUMBER),
    ],
)
def test_a_keyed_number(digits: str, country: str, found: SpokenNumber | NumberProblem) -> None:
    assert keyed_number(digits, country) == found


@pytest.mark.parametrize(
    ("caller", "found"),
    [
        ("+31612345678", SpokenNumber("+31612345678", ("06", "12", "34", "56", "78"))),
        ("+32470123456", SpokenNumber("+32470123456", ("+32", "470", "12", "34", "56"))),
        ("", None),
        ("anonymous", None),
        ("+319001234567", None),
    ],
)
def test_the_callers_own_number_is_read_back_only_when_it_can_be_called_back(
    caller: str, found: SpokenNumber | None
) -> None:
    assert caller_number(caller, "NL") == found

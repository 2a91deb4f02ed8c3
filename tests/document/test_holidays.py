"""holidays: true | false | [names and dates], opening hours to midnight, and at most ten phones in one dial."""

from datetime import UTC, datetime, time

import pytest

from ivr.callflow import flow
from ivr.callflow.schedule import Holiday, Open, OutsideHours, situation
from ivr.callflow.steps import Say
from ivr.cli import main
from ivr.document.convert import to_business
from ivr.document.hours import parse_ranges
from ivr.document.lint import lint
from ivr.document.load import parse_document
from ivr.errors import DocumentError

BASE = 'business: Smit\nnumbers: ["+31201234567"]\noperators: ["+31201111111"]\nhours: {mon-sun: "08:00-23:59"}\n'
GOOD_FRIDAY_2026 = datetime(2026, 4, 3, 10, 0, tzinfo=UTC)
CHRISTMAS_2026 = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)
CHRISTMAS_EVE_2026 = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)
NEW_YEARS_EVE_2026 = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
NEW_YEARS_EVE_2027 = datetime(2027, 12, 31, 10, 0, tzinfo=UTC)


CASES = [
    ("true closes on Good Friday", "true", GOOD_FRIDAY_2026, Holiday),
    ("false opens on Christmas", "false", CHRISTMAS_2026, Open),
    ("a list without Good Friday opens on it", "[Christmas Day, King's Day]", GOOD_FRIDAY_2026, Open),
    ("a listed name closes", "[Christmas Day, King's Day]", CHRISTMAS_2026, Holiday),
    ("names match without regard to case", "[christmas day]", CHRISTMAS_2026, Holiday),
    ("MM-DD closes every year", "['12-24']", CHRISTMAS_EVE_2026, Holiday),
    ("YYYY-MM-DD closes once", "[2026-12-31]", NEW_YEARS_EVE_2026, Holiday),
    ("...and not the next year", "[2026-12-31]", NEW_YEARS_EVE_2027, Open),
]


@pytest.mark.parametrize(("name", "holidays", "now", "expected"), CASES, ids=[case[0] for case in CASES])
def test_holidays(name: str, holidays: str, now: datetime, expected: type) -> None:
    business = to_business(parse_document(BASE + f"holidays: {holidays}\n"), 1, part_of_day="morning")
    assert isinstance(situation(business, now), expected)


def test_on_a_holiday_callers_hear_the_holiday_message() -> None:
    business = to_business(parse_document(BASE), 1, part_of_day="morning")
    assert flow.incoming(business, CHRISTMAS_2026).steps[0] == Say(
        "U spreekt met Smit. Vandaag zijn wij gesloten vanwege een feestdag.", business.language
    )


def test_a_business_writes_its_own_holiday_message_and_the_checker_reads_it() -> None:
    own = BASE + "closed: {holiday: {text: 'Vandaag is het feest. Kijk op onze website.'}, dial: '+31209999999'}\n"
    document = parse_document(own)
    business = to_business(document, 1, part_of_day="morning")
    assert flow.incoming(business, CHRISTMAS_2026).steps[0] == Say(
        "Vandaag is het feest. Kijk op onze website.", business.language
    )
    assert any(finding.where == "closed.holiday" for finding in lint(document))  # "look at our website"


@pytest.mark.parametrize(
    ("holidays", "problem"),
    [
        ("[Goede Vrijdag]", "holidays: 'Goede Vrijdag' is not a public holiday of NL; `greetline holidays NL`"),
        ("['13-01']", "holidays: '13-01' is not a date; write MM-DD, e.g. 12-24"),
        ("['2026-02-30']", "holidays: '2026-02-30' is not a date; write YYYY-MM-DD"),
    ],
)
def test_a_holiday_that_does_not_exist_is_refused(holidays: str, problem: str) -> None:
    with pytest.raises(DocumentError) as refused:
        parse_document(BASE + f"holidays: {holidays}\n")
    assert any(found.startswith(problem) for found in refused.value.problems), refused.value.problems


def test_the_names_are_those_greetline_holidays_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["holidays", "NL", "--year", "2026"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "2026-04-03  Fri  Good Friday" in lines and "2026-04-27  Mon  King's Day" in lines
    names = [line.split("  ", 2)[2] for line in lines]
    parse_document(BASE + "holidays: [" + ", ".join(f'"{name}"' for name in names) + "]\n")


@pytest.mark.parametrize(
    ("written", "moment", "open_"),
    [
        ("00:00-24:00", time(0, 0), True),
        ("00:00-24:00", time(23, 59, 59), True),
        ("08:00-23:59", time(23, 59, 30), True),
        ("08:00-17:00", time(17, 0), False),
    ],
)
def test_until_midnight(written: str, moment: time, open_: bool) -> None:
    (span,) = parse_ranges(written)
    assert span.contains(moment) is open_


def test_23_59_means_open_until_midnight_in_the_call_flow() -> None:
    business = to_business(parse_document(BASE + "holidays: false\n"), 1, part_of_day="evening")
    # 23:59:30 in Amsterdam on a winter day is 22:59:30 UTC.
    assert isinstance(situation(business, datetime(2026, 11, 24, 22, 59, 30, tzinfo=UTC)), Open)
    assert isinstance(situation(business, datetime(2026, 11, 24, 6, 59, tzinfo=UTC)), OutsideHours)


@pytest.mark.parametrize("where", ["operators", "overflow", "menu"])
def test_at_most_ten_phones_in_one_dial(where: str) -> None:
    eleven = "[" + ", ".join(f'"+312011111{n:02d}"' for n in range(11)) + "]"
    text = {
        "operators": BASE.replace('operators: ["+31201111111"]', f"operators: {eleven}"),
        "overflow": BASE + f"overflow: {{dial: {eleven}}}\n",
        "menu": BASE + f'menu: [{{key: "1", prompt: "Toets 1.", dial: {eleven}}}]\n',
    }[where]
    with pytest.raises(DocumentError) as refused:
        parse_document(text)
    assert any(where in problem and "Twilio rings at most 10" in problem for problem in refused.value.problems), (
        refused.value.problems
    )


def test_eleven_operators_ringing_in_turn_are_fine() -> None:
    eleven = "[" + ", ".join(f'"+312011111{n:02d}"' for n in range(11)) + "]"
    parse_document(BASE.replace('operators: ["+31201111111"]', f"operators: {eleven}") + "ring: sequential\n")

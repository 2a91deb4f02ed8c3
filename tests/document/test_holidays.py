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
from ivr.document.spoken import spoken_texts
from ivr.errors import DocumentError
from ivr.messages.compose import route_in_words

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
        ("[Sinterklaas]", "holidays[0]: 'Sinterklaas' is not a public holiday of NL; `greetline holidays NL"),
        ("['13-01']", "holidays[0]: '13-01' is not a date; write MM-DD, e.g. 12-24"),
        ("['2026-02-30']", "holidays[0]: '2026-02-30' is not a date; write YYYY-MM-DD"),
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


GERMAN = (
    'business: Klempner Schmidt\nnumbers: ["+4921112345678"]\noperators: ["+4921112345679"]\n'
    "country: DE\nlanguage: de\n"
)
CORPUS_CHRISTI_2027 = datetime(2027, 5, 27, 9, 0, tzinfo=UTC)
ALL_SAINTS_2027 = datetime(2027, 11, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("region", ["NW", "nw", "Nordrhein-Westfalen"])
def test_a_german_region_closes_on_its_own_public_holidays(region: str) -> None:
    business = to_business(parse_document(GERMAN + f"region: {region}\n"), 1, part_of_day="morning")
    assert situation(business, CORPUS_CHRISTI_2027) == Holiday("Fronleichnam")
    assert situation(business, ALL_SAINTS_2027) == Holiday("Allerheiligen")


def test_without_a_region_only_the_countrys_holidays_close() -> None:
    business = to_business(parse_document(GERMAN), 1, part_of_day="morning")
    assert situation(business, CORPUS_CHRISTI_2027) == Open()
    assert situation(business, ALL_SAINTS_2027) == Open()


def test_a_region_the_country_lacks_is_refused_naming_those_it_has() -> None:
    with pytest.raises(DocumentError) as refused:
        parse_document(GERMAN + "region: Bavaria\n")
    (problem,) = refused.value.found
    assert (problem.code, problem.where) == ("unknown_region", "region")
    assert problem.values["regions"] == "BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH, Augsburg"
    assert "use one of BB, BE, BW, BY" in problem.message


@pytest.mark.parametrize(
    ("document", "holidays", "closed_on", "named"),
    [
        (BASE, "[Koningsdag]", datetime(2027, 4, 27, 9, 0, tzinfo=UTC), "Koningsdag"),
        (BASE, "[KONINGSDAG]", datetime(2027, 4, 27, 9, 0, tzinfo=UTC), "Koningsdag"),
        (BASE, "[King's Day]", datetime(2027, 4, 27, 9, 0, tzinfo=UTC), "Koningsdag"),
        (GERMAN + "region: NW\n", "[Fronleichnam]", CORPUS_CHRISTI_2027, "Fronleichnam"),
        (GERMAN + "region: NW\n", "[Corpus Christi]", CORPUS_CHRISTI_2027, "Fronleichnam"),
        (
            GERMAN.replace("language: de", "language: en") + "region: NW\n",
            "[Fronleichnam]",
            CORPUS_CHRISTI_2027,
            "Corpus Christi",
        ),
    ],
)
def test_holiday_names_in_the_business_language_english_or_the_countrys(
    document: str, holidays: str, closed_on: datetime, named: str
) -> None:
    """A name is read in the business's language, in English and in the country's own; callers' paths and
    e-mails name the day in the business's language."""
    business = to_business(parse_document(document + f"holidays: {holidays}\n"), 1, part_of_day="morning")
    assert situation(business, closed_on) == Holiday(named)
    assert situation(business, datetime(2027, 12, 25, 9, 0, tzinfo=UTC)) != Holiday("Eerste kerstdag")


def test_a_dutch_business_hears_of_its_holidays_in_dutch() -> None:
    business = to_business(parse_document(BASE), 1, part_of_day="morning")
    assert situation(business, datetime(2027, 5, 6, 9, 0, tzinfo=UTC)) == Holiday("Hemelvaartsdag")


def test_greetline_holidays_lists_a_region_in_a_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["holidays", "DE", "--region", "NW", "--language", "de", "--year", "2027"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "2027-05-27  Thu  Fronleichnam" in lines and "2027-11-01  Mon  Allerheiligen" in lines


def test_the_e_mail_after_a_holiday_call_names_the_holiday_in_dutch() -> None:
    """The call's path keeps the name the business reads; the voicemail e-mail's route says it."""
    business = to_business(parse_document(BASE), 1, part_of_day="morning")
    decision = flow.incoming(business, datetime(2027, 5, 6, 9, 0, tzinfo=UTC))
    assert decision.path == "closed:holiday:Hemelvaartsdag"
    assert route_in_words((decision.path,), 4, (), "nl") == "feestdag (Hemelvaartsdag)"


def test_a_regional_holiday_without_a_region_says_which_regions_keep_it() -> None:
    with pytest.raises(DocumentError) as refused:
        parse_document(GERMAN + "holidays: [Fronleichnam]\n")
    (problem,) = refused.value.found
    assert (problem.code, problem.where) == ("unknown_holiday", "holidays[0]")
    assert problem.values["regions"] == "BW, BY, HE, NW, RP, SL, Augsburg"
    assert "set region: to yours, e.g. region: BW" in problem.message


def test_a_region_alone_does_not_make_a_business_that_never_closes_for_holidays_speak_the_holiday_text() -> None:
    never = parse_document(GERMAN + "region: NW\nholidays: false\n")
    always = parse_document(GERMAN + "region: NW\n")
    holiday_text = to_business(always, 1, part_of_day="morning").texts.holiday.text
    assert holiday_text in [spoken.text for spoken in spoken_texts(always)]
    assert holiday_text not in [spoken.text for spoken in spoken_texts(never)]


ASCENSION_2027 = datetime(2027, 5, 6, 9, 0, tzinfo=UTC)
IN_GERMANY_IN_DUTCH = GERMAN.replace("language: de", "language: nl")


@pytest.mark.parametrize(
    ("document", "language", "path", "route"),
    [
        (IN_GERMANY_IN_DUTCH, "nl", "closed:holiday:Hemelvaartsdag", "feestdag (Hemelvaartsdag)"),
        (BASE + "language: fr\n", "fr", "closed:holiday:Ascension", "jour férié (Ascension)"),
        (BASE + "language: de\n", "de", "closed:holiday:Christi Himmelfahrt", "Feiertag (Christi Himmelfahrt)"),
    ],
)
def test_a_holiday_the_countrys_calendar_does_not_name_in_the_business_language_is_never_english(
    document: str, language: str, path: str, route: str
) -> None:
    """Germany's calendar has no Dutch names, the Netherlands' no French (issue 20 item 13: "feestdag (Ascension
    Day)"): a neighbour's name for the same day is borrowed, and the e-mail's route says it."""
    business = to_business(parse_document(document + "holidays: true\n"), 1, part_of_day="morning")
    decision = flow.incoming(business, ASCENSION_2027)
    assert decision.path == path
    assert route_in_words((decision.path,), 4, (), language) == route


def test_a_holiday_no_neighbour_names_is_given_the_countrys_own_name_not_english() -> None:
    """German Unity Day has no Dutch name in any calendar: a Dutch business in Germany reads the German one."""
    business = to_business(parse_document(IN_GERMANY_IN_DUTCH + "holidays: true\n"), 1, part_of_day="morning")
    assert situation(business, datetime(2027, 10, 3, 9, 0, tzinfo=UTC)) == Holiday("Tag der Deutschen Einheit")


def test_a_borrowed_name_is_one_for_the_same_day_not_the_same_english_words() -> None:
    """The US's Labor Day (September) is no Dag van de Arbeid (1 May)."""
    us_in_dutch = BASE.replace("+31201234567", "+12125550100").replace("+31201111111", "+12125550111")
    business = to_business(parse_document(us_in_dutch + "country: US\nholidays: true\n"), 1, part_of_day="morning")
    assert situation(business, datetime(2027, 9, 6, 15, 0, tzinfo=UTC)) == Holiday("Labor Day")


def test_a_dutch_business_in_germany_may_write_the_dutch_name() -> None:
    document = parse_document(IN_GERMANY_IN_DUTCH + "holidays: [Hemelvaartsdag]\n")
    business = to_business(document, 1, part_of_day="morning")
    assert situation(business, ASCENSION_2027) == Holiday("Hemelvaartsdag")

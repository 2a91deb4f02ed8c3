"""Composing is pure: the same facts give the same e-mail and text, in each of the four languages."""

from datetime import UTC, date, datetime

import pytest

from ivr.document.phones import for_people
from ivr.messages.compose import (
    VoicemailFacts,
    menu_label,
    message_route,
    route_in_words,
    voicemail_email,
    voicemail_sms,
)
from ivr.messages.summary_email import SummaryCall, SummaryFacts, daily_summary_email


def facts(
    language: str, path: tuple[str, ...] = ("welcome", "operators:no-answer>overflow:voicemail")
) -> VoicemailFacts:
    return VoicemailFacts(
        business="De Linde",
        language=language,
        timezone="Europe/Amsterdam",
        country="NL",
        caller="+31687654321",
        received_at=datetime(2026, 7, 1, 14, 5, tzinfo=UTC),  # summer time: 16:05 in Amsterdam
        duration_s=74,
        path=path,
        rings=4,
        menu=(("2", "Voor offertes, toets 2."),),
        inbox_url="https://phone.example/admin/messages/RE1",
    )


EMAILS = [
    ("nl", "Voicemail voor De Linde van 06 87 65 43 21", "Tijd: 01-07-2026 16:05", "Route: na 4 keer overgaan"),
    ("en", "Voicemail for De Linde from 06 87 65 43 21", "Time: 01/07/2026 16:05", "Route: after 4 rings"),
    ("de", "Sprachnachricht für De Linde von 06 87 65 43 21", "Zeit: 01.07.2026 16:05", "Weg: nach 4-maligem Klingeln"),
    ("fr", "Message vocal pour De Linde de 06 87 65 43 21", "Heure: 01/07/2026 16:05", "Parcours: après 4 sonneries"),
]


@pytest.mark.parametrize(("language", "subject", "time", "route"), EMAILS)
def test_voicemail_email(language: str, subject: str, time: str, route: str) -> None:
    mail = voicemail_email(facts(language), "a@example.nl", "<id@x>", attached=True)
    assert (mail.to, mail.subject, mail.message_id) == ("a@example.nl", subject, "<id@x>")
    assert time in mail.body and route in mail.body
    assert "tel:+31687654321" in mail.body and "1 min 14 s" in mail.body
    assert "https://phone.example/admin/messages/RE1" in mail.body


EN_DASH = "\u2013"  # the dash between a menu key and what it is for
ROUTES = [
    (("welcome+menu", "menu:2"), f"menu: 2 {EN_DASH} voor offertes"),
    (("closed:hours",), "buiten openingstijden"),
    (("closed:holiday:Eerste Kerstdag",), "feestdag (Eerste Kerstdag)"),
    (("period:2026-12-24",), "tijdelijke regeling vanaf 2026-12-24"),
    (("welcome", "operators:busy>overflow:voicemail"), "in gesprek"),
    (
        ("welcome+menu", "menu:2", "option:no-answer>overflow:voicemail"),
        f"menu: 2 {EN_DASH} voor offertes, na 4 keer overgaan",
    ),
    (("welcome", "operators:0:no-answer", "operators:1:busy"), "na 4 keer overgaan, in gesprek"),
    (("welcome", "operators:failed>overflow:voicemail"), "niet bereikbaar"),
    # Never a bare dash: a call straight through says so, one the log does not have says that.
    (("welcome", "operators:completed"), "rechtstreeks"),
    ((), "onbekend (de oproep staat niet in het gesprekslog)"),
    # Closed: the emergency key, its number not answered, a message in the closed box.
    (
        ("closed:hours", "emergency:1", "emergency:no-answer>voicemail:closed"),
        "buiten openingstijden, noodnummer (toets 1), na 4 keer overgaan",
    ),
]


@pytest.mark.parametrize(("path", "words"), ROUTES)
def test_route_in_words(path: tuple[str, ...], words: str) -> None:
    assert route_in_words(path, 4, facts("nl").menu, "nl") == words


MESSAGE_ROUTES = [
    # The log has the whole call: what the webhooks carried is said once.
    (
        ("welcome+menu", "menu:2", "option:no-answer>overflow:voicemail", "voicemail:recorded"),
        ("menu:2", "option:no-answer>overflow:voicemail"),
        "overflow",
        f"menu: 2 {EN_DASH} voor offertes, na 4 keer overgaan",
    ),
    # The log has only the start of the call (or nothing): the carried route says how the caller came.
    (("welcome",), ("operators:busy>overflow:voicemail",), "overflow", "in gesprek"),
    ((), ("closed:hours",), "closed", "buiten openingstijden"),
    # Taken in before routes travelled, and the log has nothing: a box named by its way still says it.
    ((), (), "menu:2", f"menu: 2 {EN_DASH} voor offertes"),
    ((), (), "overflow", "onbekend (de oproep staat niet in het gesprekslog)"),
]


@pytest.mark.parametrize(("logged", "carried", "box", "words"), MESSAGE_ROUTES)
def test_a_message_route_joins_the_log_and_what_the_webhooks_carried(
    logged: tuple[str, ...], carried: tuple[str, ...], box: str, words: str
) -> None:
    assert route_in_words(message_route(logged, carried, box), 4, facts("nl").menu, "nl") == words


def test_every_language_says_an_unknown_and_a_direct_route_in_words() -> None:
    for language in ("nl", "en", "de", "fr"):
        unknown, direct = route_in_words((), 4, (), language), route_in_words(("welcome",), 4, (), language)
        assert "-" not in (unknown, direct) and unknown != direct


def test_the_summary_says_the_rings_each_call_rang_with_not_todays() -> None:
    unanswered = ("welcome", "operators:no-answer>overflow:none")
    before = SummaryCall(datetime(2026, 7, 1, 8, 0, tzinfo=UTC), None, unanswered, "missed", 30, rings=4)
    after = SummaryCall(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), None, unanswered, "missed", 25, rings=3)
    old = SummaryCall(datetime(2026, 7, 1, 7, 0, tzinfo=UTC), None, unanswered, "missed", 30)  # logged before
    summary = SummaryFacts("De Linde", "nl", "Europe/Amsterdam", "NL", date(2026, 7, 1), 3, (), (before, after, old))
    lines = daily_summary_email(summary, "a@example.nl", "<id@x>").body.splitlines()
    assert [line.split(" · ")[2] for line in lines[2:5]] == [
        "na 3 keer overgaan",
        "na 4 keer overgaan",
        "na 3 keer overgaan",
    ]


def test_unknown_caller_and_a_text_message() -> None:
    unknown = VoicemailFacts(**{**facts("nl").__dict__, "caller": None, "duration_s": 9})
    mail = voicemail_email(unknown, "a@example.nl", "<id@x>", attached=False)
    assert mail.subject == "Voicemail voor De Linde van een onbekend nummer" and "tel:" not in mail.body
    assert "De opname is te beluisteren in het postvak." in mail.body
    text = voicemail_sms(facts("nl"), "+31612345678", "+31501234567")
    assert text.body == (
        "Voicemail voor De Linde van 06 87 65 43 21 om 01-07-2026 16:05 (1 min 14 s). "
        "Luister: https://phone.example/admin/messages/RE1"
    )


@pytest.mark.parametrize(
    ("number", "country", "written"),
    [
        # A business's own country's numbers nationally, a Dutch mobile's digits in pairs.
        ("+31687654321", "NL", "06 87 65 43 21"),
        ("+31201234567", "NL", "020 123 4567"),
        ("+442071234567", "GB", "020 7123 4567"),
        ("+33612345678", "FR", "06 12 34 56 78"),
        ("+4930123456", "DE", "030 123456"),
        # Another country's internationally: "0470 12 34 56" would dial a Dutch number from a Dutch practice.
        ("+32470123456", "NL", "+32 470 12 34 56"),
        ("+4930123456", "NL", "+49 30 123456"),
        ("+31687654321", "DE", "+31 6 87654321"),
        ("+442071234567", "NL", "+44 20 7123 4567"),
        # A withheld caller (Twilio's From is then a word, not digits) stays as it came.
        ("anonymous", "NL", "anonymous"),
        ("Restricted", "DE", "Restricted"),
    ],
)
def test_numbers_for_people(number: str, country: str, written: str) -> None:
    assert for_people(number, country) == written


def test_a_belgian_caller_of_a_dutch_business_is_written_internationally() -> None:
    belgian = VoicemailFacts(**{**facts("nl").__dict__, "caller": "+32470123456"})
    mail = voicemail_email(belgian, "a@example.nl", "<id@x>", attached=True)
    assert mail.subject == "Voicemail voor De Linde van +32 470 12 34 56"
    assert "Beller: +32 470 12 34 56" in mail.body and "0470" not in mail.body
    assert "+32 470 12 34 56" in voicemail_sms(belgian, "+31612345678", "+31501234567").body


@pytest.mark.parametrize(
    ("prompt", "label"),
    [("Voor offertes, toets 2.", "voor offertes"), ("For quotes, press 2.", "for quotes"), ("Spoed", "spoed")],
)
def test_menu_label(prompt: str, label: str) -> None:
    assert menu_label(prompt) == label


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("smtp_url", "mail.example.nl:587", "GREETLINE_SMTP_URL must look like smtp://user:pass@host:587"),
        ("twilio_api_url", "api.twilio.com", "GREETLINE_TWILIO_API_URL must start with https://"),
    ],
)
def test_after_call_settings_are_refused_with_the_fix(setting: str, value: str, message: str) -> None:
    from pydantic import ValidationError

    from ivr.settings import Settings

    with pytest.raises(ValidationError, match=message):
        Settings(**{setting: value})


def test_the_summary_counts_why_calls_ended_in_the_documented_order() -> None:
    at = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    called = [
        SummaryCall(at, None, ("welcome",), "hung up", 3, end_reason="hung_up_welcome"),
        SummaryCall(at, None, ("welcome", "operators:completed"), "operator", 60, end_reason="answered_staff"),
        SummaryCall(at, None, ("welcome",), "hung up", 4, end_reason="hung_up_welcome"),
    ]
    summary = SummaryFacts("De Linde", "nl", "Europe/Amsterdam", "NL", date(2026, 7, 1), 3, (), tuple(called))
    lines = daily_summary_email(summary, "a@example.nl", "<id@x>").body.splitlines()
    assert lines[1] == (
        "Waarom oproepen eindigden: opgenomen door een medewerker 1 · opgehangen tijdens de welkomstgroet 2"
    )

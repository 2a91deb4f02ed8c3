"""Voicemail in words, composed (pure): the transcript first in the e-mail and marked as a computer's writing in
the business's language, the spoken language named when it is another, urgent subjects, texts within two SMS
segments, and nothing about transcripts in a message without one (issue 22)."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ivr.messages.compose import voicemail_email, voicemail_sms
from ivr.messages.summary_email import SummaryCall, SummaryFacts, daily_summary_email
from ivr.messages.transcript_text import GSM7_PER_SEGMENT, UCS2_PER_SEGMENT, first_line, sms_units
from ivr.messages.urgency import holds_urgent_word
from tests.messages.test_compose import facts

WORDS = "Hello, this is Peter Smith. Please call me back about my blood test results."
LONG = " ".join(["Goedemiddag, ik bel over de offerte voor het nieuwe dak van de schuur."] * 12)

# (business language, heading, spoken-in sentence for an English caller, urgent subject word)
LANGUAGES = [
    ("nl", "Uitgeschreven door een computer; er kunnen fouten in staan.", "De beller sprak Engels.", "SPOED"),
    (
        "de",
        "Von einem Computer aufgeschrieben; es können Fehler darin sein.",
        "Der Anrufer sprach Englisch.",
        "DRINGEND",
    ),
    ("fr", "Transcrit par un ordinateur ; il peut contenir des erreurs.", "L'appelant parlait anglais.", "URGENT"),
    ("en", "Written out by a computer; it may contain mistakes.", "", "URGENT"),
]


@pytest.mark.parametrize(("language", "heading", "spoken", "mark"), LANGUAGES)
def test_the_email_starts_with_the_words_marked_in_the_business_language(
    language: str, heading: str, spoken: str, mark: str
) -> None:
    said = replace(facts(language), transcript=WORDS, transcript_language="en", urgent=True)
    mail = voicemail_email(said, "a@example.nl", "<id@x>", attached=True)
    first = f"{heading} {spoken}".strip()
    assert mail.body.startswith(f"{first}\n\n“{WORDS}”\n\n")
    plain = voicemail_email(facts(language), "a@example.nl", "<id@x>", attached=True)
    assert mail.subject == f"{mark}: {plain.subject}"
    assert mail.body.endswith(plain.body)  # the rest of the e-mail as without words


def test_a_long_message_says_only_its_start_was_written_out() -> None:
    said = replace(facts("nl"), transcript=WORDS, transcript_language="nl", transcript_cut_short=True)
    body = voicemail_email(said, "a@example.nl", "<id@x>", attached=True).body
    assert f"“{WORDS}”\n(Alleen het begin van dit lange bericht is uitgeschreven.)\n\n" in body


@pytest.mark.parametrize("language", ["nl", "de", "fr", "en"])
def test_without_words_nothing_mentions_them(language: str) -> None:
    plain = voicemail_email(facts(language), "a@example.nl", "<id@x>", attached=True)
    heading = next(row[1] for row in LANGUAGES if row[0] == language)
    assert heading not in plain.body and "“" not in plain.body


@pytest.mark.parametrize("language", ["nl", "de", "fr", "en"])
@pytest.mark.parametrize("words", [WORDS, LONG, LONG.replace("offerte", "offerte € \u2013 ✓")])
def test_the_text_holds_the_start_of_the_words_in_at_most_two_segments(language: str, words: str) -> None:
    sms = voicemail_sms(replace(facts(language), transcript=words), "+31687654321", "+31201234567")
    used, per_segment = sms_units(sms.body)
    assert used <= 2 * per_segment
    assert sms.body.endswith("https://phone.example/admin/messages/RE1")
    assert words[:20] in sms.body
    assert ('..."' in sms.body) == (words != WORDS)  # cut short, with a GSM-7 ellipsis
    if "\u2013" in sms.body:  # a character outside GSM-7 makes the whole text UCS-2, with fewer characters per segment
        assert per_segment == UCS2_PER_SEGMENT
    else:
        assert per_segment == GSM7_PER_SEGMENT


def test_the_summary_shows_the_first_line_and_lists_urgent_messages_first() -> None:
    day = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    calm = SummaryCall(day, "+31611112222", ("welcome",), "voicemail", 20, "https://x/RE1", words=WORDS)
    urgent = SummaryCall(day.replace(hour=12), "+31633334444", ("welcome",), "voicemail", 9, "https://x/RE2")
    urgent = replace(urgent, words="Er is een lekkage. Graag snel bellen.", urgent=True)
    summary = SummaryFacts("De Linde", "nl", "Europe/Amsterdam", "NL", day.date(), 4, (), (calm, urgent))
    lines = daily_summary_email(summary, "a@example.nl", "<id@x>").body.splitlines()
    assert lines[2].startswith("SPOED · 14:00") and "“Er is een lekkage.”" in lines[2]
    assert lines[3].startswith("10:00") and "“Hello, this is Peter Smith.”" in lines[3]


@pytest.mark.parametrize(
    ("text", "words", "urgent"),
    [
        ("Er is een LEKKAGE in de keuken", ("lekkage",), True),
        ("Die Störung ist seit heute", ("störung",), True),
        ("Die Storung", ("störung",), True),  # accents ignored: transcripts drop them now and then
        ("Het is niet dringend hoor", ("spoed",), False),
        ("spoedig terugbellen graag", ("spoed",), False),  # whole words only
        ("urgent", (), False),
    ],
)
def test_urgent_words(text: str, words: tuple[str, ...], urgent: bool) -> None:
    assert holds_urgent_word(text, words) is urgent


def test_first_line_is_the_first_sentence_cut_to_fit() -> None:
    assert first_line(WORDS) == "Hello, this is Peter Smith."
    assert first_line("x" * 300).endswith("…") and len(first_line("x" * 300)) == 120

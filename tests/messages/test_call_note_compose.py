"""Call notes composed in the four languages, and what the card accepts as a note: plain data in and out."""

from datetime import UTC, datetime

import pytest

from ivr.card.notes import MAX_MESSAGE_CHARS, check_note
from ivr.messages import compose
from ivr.messages.call_notes import NoteInput
from ivr.messages.compose import NOTE_SMS_MAX_CHARS, CallNoteFacts

WRITTEN = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)


def _facts(language: str, *, urgent: bool, message: str = "Graag terugbellen.") -> CallNoteFacts:
    return CallNoteFacts(
        business="Jansen",
        language=language,
        timezone="Europe/Amsterdam",
        country="NL",
        caller_name="Mw. Smit",
        caller_number="+31612345678",
        message=message,
        urgent=urgent,
        written_at=WRITTEN,
        inbox_url="https://greetline.test/admin/messages#NT1",
    )


@pytest.mark.parametrize(
    ("language", "subject", "intro", "time"),
    [
        (
            "nl",
            "SPOED: Gespreksnotitie voor Jansen: Mw. Smit",
            "De antwoorddienst nam",
            "Tijd: 24-11-2026 14:05",
        ),
        (
            "en",
            "URGENT: Call note for Jansen: Mw. Smit",
            "The answering service took",
            "Time: 24/11/2026 14:05",
        ),
        (
            "de",
            "DRINGEND: Gesprächsnotiz für Jansen: Mw. Smit",
            "Der Telefondienst hat",
            "Zeit: 24.11.2026 14:05",
        ),
        (
            "fr",
            "URGENT: Note d'appel pour Jansen : Mw. Smit",
            "Le secrétariat téléphonique",
            "24/11/2026 14:05",
        ),
    ],
)
def test_an_urgent_note_by_email_in_each_language(language: str, subject: str, intro: str, time: str) -> None:
    mail = compose.call_note_email(_facts(language, urgent=True), "kantoor@jansen.example", "<n@greetline.test>")
    assert mail.subject == subject
    assert mail.body.startswith(intro) and time in mail.body
    assert "Graag terugbellen." in mail.body and "tel:+31612345678" in mail.body
    routine = compose.call_note_email(_facts(language, urgent=False), "kantoor@jansen.example", "<n@greetline.test>")
    assert routine.subject == subject.split(": ", 1)[1]


def test_a_long_note_is_cut_to_three_sms_segments() -> None:
    sms = compose.call_note_sms(_facts("nl", urgent=True, message="lekkage " * 200), "+31687654321", "+31201234567")
    assert len(sms.body) == NOTE_SMS_MAX_CHARS and sms.body.endswith(
        "\u2026 \u2013 https://greetline.test/admin/messages#NT1"
    )


@pytest.mark.parametrize(
    ("fields", "country", "expected", "problems"),
    [
        ({"caller_name": " Jan ", "caller_number": "06 1234 5678", "message": "Bel terug."}, "NL",
         NoteInput("Jan", "+31612345678", "Bel terug.", False), []),
        ({"caller_name": "Jan", "caller_number": "+32 470 12 34 56", "message": "x", "urgent": "on"}, "NL",
         NoteInput("Jan", "+32470123456", "x", True), []),
        ({"caller_name": "Jan", "caller_number": "0470 12 34 56", "message": "x", "urgent": True}, "BE",
         NoteInput("Jan", "+32470123456", "x", True), []),
        ({"caller_name": "Jan", "message": "x", "urgent": "false"}, "NL", NoteInput("Jan", None, "x", False), []),
        ({"caller_number": "06 12", "message": ""}, "NL", None, ["name_missing", "number_invalid", "message_missing"]),
        ({"caller_name": "J" * 101, "message": "m" * (MAX_MESSAGE_CHARS + 1)}, "NL", None,
         ["name_too_long", "message_too_long"]),
    ],
)  # fmt: skip
def test_what_the_card_accepts_as_a_note(
    fields: dict[str, object], country: str, expected: NoteInput | None, problems: list[str]
) -> None:
    note, found = check_note(fields, country)
    assert (note, [problem.code for problem in found]) == (expected, problems)

"""Voicemail in words (issue 22) through the remote engine: recording callback → worker → e-mail, text, inbox and
API, with an OpenAI-compatible transcription API, Twilio's REST API and a mail server on 127.0.0.1."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from ivr.messages.transcript_text import sms_units
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.audio.telephone_signals import (
    busy_tone_mp3,
    corrupt_mp3,
    dial_tone_mp3,
    low_noise_mp3,
    silence_mp3,
    spoken_mp3,
)
from tests.clock import FakeClock
from tests.fakes.smtp import MailServer
from tests.fakes.transcription_api import API_KEY, FakeTranscriptionApi
from tests.fakes.twilio_api import FakeTwilio
from tests.messages.documents import AFTER_CALL_DOCUMENT
from tests.messages.transcribing import (
    NOW,
    after_call_database,
    after_call_settings,
    api_voicemails,
    leave_message,
    worker,
)
from tests.twilio_client import TwilioLikeClient, twilio_client

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp", "tests.fakes.transcription_api"]

SPOKEN = "Goedemiddag, met Piet Bakker. Mijn verwarming doet het niet meer, wilt u mij terugbellen? Dank u wel."
WAIT_S = 60.0


@pytest.fixture
def transcribing(
    settings: Settings,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
    tmp_path: Path,
) -> Settings:
    return after_call_settings(settings, mail_server, twilio_api, tmp_path).model_copy(
        update={
            "transcribe_url": transcription_api.base_url,
            "transcribe_api_key": API_KEY,
            "transcribe_wait_s": WAIT_S,
            "transcribe_timeout_s": 2.0,
        }
    )


@pytest.fixture
def database(transcribing: Settings) -> Iterator[Database]:
    yield from after_call_database(transcribing)


@pytest.fixture
def app(transcribing: Settings, database: Database) -> FastAPI:
    return create_app(transcribing, clock=FakeClock(NOW), database=database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with twilio_client(app) as client:
        yield client


def speech() -> bytes:
    return spoken_mp3("Hello, this is a test message for the plumber. Please call me back.")


def body_of(mail: object) -> str:
    from email.message import EmailMessage

    assert isinstance(mail, EmailMessage)
    part = mail.get_body(("plain",))
    assert part is not None
    text: str = part.get_content()
    return text.replace("\r\n", "\n")


def test_the_words_come_first_in_the_email_marked_as_written_by_a_computer_and_the_text_carries_their_start(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
) -> None:
    transcription_api.text = SPOKEN
    sid = leave_message(app, client, twilio_api, speech())
    clock = FakeClock(NOW)
    clock.advance(2)
    # Our copy, the transcript, then at once (not after the wait) two e-mails and a text.
    assert worker(transcribing, database, clock).run_due() == 5
    mail = mail_server.inbox.to("kantoor@jansen.example")[0]
    assert mail["Subject"] == "Voicemail voor Loodgietersbedrijf Jansen van 06 11 11 22 22"
    text = body_of(mail)
    assert text.startswith(f"Uitgeschreven door een computer; er kunnen fouten in staan.\n\n“{SPOKEN}”\n\n")
    assert "De beller sprak" not in text  # the business's own language
    assert [a.get_content_type() for a in mail.iter_attachments()] == ["audio/mpeg"]
    sms = twilio_api.texts[0]["Body"]
    assert sms.startswith(
        'Voicemail voor Loodgietersbedrijf Jansen van 06 11 11 22 22 om 24-11-2026 10:15: "Goedemiddag'
    )
    assert sms.endswith(f"https://greetline.test/admin/messages/{sid}")
    used, per_segment = sms_units(sms)
    assert used <= 2 * per_segment
    # What the server got: our 16 kHz WAV with the model and key it was told, asked for every language at first.
    (asked,) = transcription_api.received
    assert asked.audio[:4] == b"RIFF" and asked.authorization == f"Bearer {API_KEY}"
    assert asked.fields == {"model": "whisper-1", "response_format": "verbose_json"}
    (listed,) = api_voicemails(app, database)
    assert (listed["transcript"], listed["transcript_language"]) == (SPOKEN, "nl")
    assert (listed["transcript_status"], listed["urgent"]) == ("done", False)


@pytest.mark.parametrize(
    ("spoken", "sentence"),
    [("german", "De beller sprak Duits."), ("french", "De beller sprak Frans."), ("en", "De beller sprak Engels.")],
)
def test_a_caller_speaking_another_language_gets_words_in_it_and_the_message_says_which(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
    spoken: str,
    sentence: str,
) -> None:
    transcription_api.text, transcription_api.language = "Guten Tag, bitte rufen Sie mich zurück.", spoken
    leave_message(app, client, twilio_api, speech())
    clock = FakeClock(NOW)
    clock.advance(2)
    worker(transcribing, database, clock).run_due()
    text = body_of(mail_server.inbox.to("kantoor@jansen.example")[0])
    assert text.startswith(f"Uitgeschreven door een computer; er kunnen fouten in staan. {sentence}\n")
    code = {"german": "de", "french": "fr", "en": "en"}[spoken]
    assert api_voicemails(app, database)[0]["transcript_language"] == code


def test_a_language_we_do_not_write_in_is_asked_again_in_the_business_language(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
) -> None:
    transcription_api.text, transcription_api.language = "Goedemiddag.", "afrikaans"
    leave_message(app, client, twilio_api, speech())
    clock = FakeClock(NOW)
    clock.advance(2)
    worker(transcribing, database, clock).run_due()
    assert [asked.fields.get("language") for asked in transcription_api.received] == [None, "nl"]
    assert api_voicemails(app, database)[0]["transcript_language"] == "nl"


def test_an_urgent_word_flags_the_message_in_the_subject_the_text_and_the_inbox_order(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
) -> None:
    clock = FakeClock(NOW)
    transcription_api.text = "Er staat water in de gang, een Lekkage bij de meterkast!"
    urgent = leave_message(app, client, twilio_api, speech())
    clock.advance(2)
    worker(transcribing, database, clock).run_due()
    transcription_api.text = SPOKEN
    later = leave_message(app, client, twilio_api, speech())
    worker(transcribing, database, clock).run_due()
    subjects = sorted(mail["Subject"] for mail in mail_server.inbox.to("kantoor@jansen.example"))
    assert subjects == [
        "SPOED: Voicemail voor Loodgietersbedrijf Jansen van 06 11 11 22 22",
        "Voicemail voor Loodgietersbedrijf Jansen van 06 11 11 22 22",
    ]
    assert sorted(text["Body"][:6] for text in twilio_api.texts) == ["SPOED ", "Voicem"]
    listed = api_voicemails(app, database)
    assert [(m["recording_sid"], m["urgent"]) for m in listed] == [(urgent, True), (later, False)]


def test_urgent_sms_numbers_get_a_text_only_for_an_urgent_message(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
) -> None:
    on_call = "+31622223333"
    urgent_box = 'sms: ["+31687654321"], urgent_sms: ["+31622223333"]}'
    apply_text(database, AFTER_CALL_DOCUMENT.replace('sms: ["+31687654321"]}', urgent_box), NOW)
    clock = FakeClock(NOW)
    clock.advance(2)
    transcription_api.text = SPOKEN
    calm = leave_message(app, client, twilio_api, speech())
    worker(transcribing, database, clock).run_due()
    transcription_api.text = "Storing! De verwarming lekt en er staat water in de kelder."
    urgent = leave_message(app, client, twilio_api, speech())
    worker(transcribing, database, clock).run_due()
    assert sorted((text["To"], text["Body"][:6]) for text in twilio_api.texts) == [
        (on_call, "SPOED "),
        ("+31687654321", "SPOED "),
        ("+31687654321", "Voicem"),
    ]
    listed = {m["recording_sid"]: sorted(d["to"] for d in m["deliveries"]) for m in api_voicemails(app, database)}
    assert on_call in listed[urgent] and on_call not in listed[calm]


@pytest.mark.parametrize("recording", [silence_mp3, busy_tone_mp3, dial_tone_mp3, low_noise_mp3])
def test_a_recording_with_no_one_speaking_is_no_message_and_the_call_reached_nobody(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
    recording: object,
) -> None:
    assert callable(recording)
    leave_message(app, client, twilio_api, recording())
    clock = FakeClock(NOW)
    clock.advance(2)
    worker(transcribing, database, clock).run_due()
    clock.advance(WAIT_S + 1)
    worker(transcribing, database, clock).run_due()
    # No voicemail e-mail, no text, no words invented (the engine was never asked), nothing in the inbox; the
    # business's missed-call note says the caller reached nobody and left no message.
    assert [mail["Subject"] for mail in mail_server.inbox.messages] == [
        "Gemiste oproep voor Loodgietersbedrijf Jansen van 06 11 11 22 22"
    ]
    assert twilio_api.texts == [] and transcription_api.received == []
    assert api_voicemails(app, database) == []


@pytest.mark.parametrize(("status", "delay_s"), [(503, 0.0), (200, 5.0)], ids=["down", "slow"])
def test_an_engine_down_or_slow_holds_the_email_only_for_the_wait_and_a_later_transcript_shows_in_the_inbox(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
    status: int,
    delay_s: float,
) -> None:
    transcription_api.text, transcription_api.status, transcription_api.delay_s = SPOKEN, status, delay_s
    leave_message(app, client, twilio_api, speech())
    clock = FakeClock(NOW)
    clock.advance(2)
    assert worker(transcribing, database, clock).run_due() == 2  # our copy; the transcript failed
    assert mail_server.inbox.messages == []
    assert api_voicemails(app, database)[0]["transcript_status"] == "failed"
    transcription_api.status, transcription_api.delay_s = 503, 0.0  # still down when the e-mail's time comes
    clock.advance(WAIT_S)
    worker(transcribing, database, clock).run_due()
    text = body_of(mail_server.inbox.to("kantoor@jansen.example")[0])
    assert text.startswith("06 11 11 22 22 heeft een bericht ingesproken") and "computer" not in text
    assert "Goedemiddag" not in twilio_api.texts[0]["Body"]
    transcription_api.status = 200  # back: the next try finds the words, and the inbox shows them
    clock.advance(600)
    worker(transcribing, database, clock).run_due()
    listed = api_voicemails(app, database)[0]
    assert (listed["transcript_status"], listed["transcript"]) == ("done", SPOKEN)
    assert len(mail_server.inbox.messages) == 2  # nothing sent twice


def test_a_corrupt_recording_is_delivered_at_once_without_words(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
) -> None:
    leave_message(app, client, twilio_api, corrupt_mp3())
    clock = FakeClock(NOW)
    clock.advance(2)
    worker(transcribing, database, clock).run_due()
    assert len(mail_server.inbox.messages) == 2 and len(twilio_api.texts) == 1
    assert "computer" not in body_of(mail_server.inbox.messages[0])
    assert transcription_api.received == []
    assert api_voicemails(app, database)[0]["transcript_status"] == "failed"


def test_the_inbox_api_finds_a_message_by_a_word_of_it(
    app: FastAPI,
    client: TwilioLikeClient,
    transcribing: Settings,
    database: Database,
    twilio_api: FakeTwilio,
    transcription_api: FakeTranscriptionApi,
) -> None:
    clock = FakeClock(NOW)
    clock.advance(2)
    transcription_api.text = SPOKEN
    heating = leave_message(app, client, twilio_api, speech())
    worker(transcribing, database, clock).run_due()
    transcription_api.text = "Kunt u de offerte voor de dakgoot opsturen? 100% zeker."
    gutter = leave_message(app, client, twilio_api, speech())
    worker(transcribing, database, clock).run_due()
    assert [m["recording_sid"] for m in api_voicemails(app, database, q="VERWARMING")] == [heating]
    assert [m["recording_sid"] for m in api_voicemails(app, database, q="dakgoot")] == [gutter]
    assert [m["recording_sid"] for m in api_voicemails(app, database, q="100%")] == [gutter]
    assert api_voicemails(app, database, q="r_p") == []  # LIKE's wildcards are taken literally

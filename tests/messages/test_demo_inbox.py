"""Development mode (`make run`): a simulated voicemail goes into the inbox with a recording of its own (a spoken
sample), and its deliveries say they were printed on the console, not sent (issue 21). Anywhere something could
send (an SMTP server or a Twilio account configured), a simulated voicemail is still only printed
(tests/test_simulated_calls.py)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audio.transcribe.voice import decode_16k, measure_voice
from ivr.messages import inbox
from ivr.messages.delivery import make_worker
from ivr.messages.inbox import Delivery, DeliveryState
from ivr.settings import Settings
from ivr.simulator import SIMULATED_CALL_FIELD, SIMULATED_TIME_FIELD
from ivr.store import recordings
from ivr.store.database import Database
from ivr.web.admin.i18n import translations
from ivr.web.admin.inbox import delivery_words
from ivr.web.app import create_app
from tests.messages.documents import BUSINESS_NUMBER, apply_after_call_document, call_sid, recording_sid, recording_url
from tests.twilio_client import twilio_client

# Tuesday 24 November 2026, 10:15 in Amsterdam; the call is simulated at 22:00 that evening (`greetline call --at`).
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
SIMULATED_AT = datetime(2026, 11, 24, 22, 0)


def leave_simulated_message(settings: Settings, database: Database) -> str:
    """`greetline call --url` against the server: nobody answers and the caller leaves a message."""
    sid, call = recording_sid(), call_sid()
    simulated = {SIMULATED_CALL_FIELD: "1", SIMULATED_TIME_FIELD: SIMULATED_AT.isoformat()}
    call_form = {"CallSid": call, "From": "+31611112222", "To": BUSINESS_NUMBER, **simulated}
    app = create_app(settings, clock=lambda: NOW, database=database)
    with twilio_client(app) as client:
        client.post("/twilio/voice", call_form)
        client.post("/twilio/dial-ended?stage=operators", {**call_form, "DialCallStatus": "no-answer"})
        app.state.services.call_log.flush()
        form = {
            **call_form,
            "RecordingSid": sid,
            "RecordingUrl": recording_url(settings.twilio_api_url, sid),
            "RecordingDuration": "9",
        }
        assert client.post("/twilio/recording?business=1&box=overflow", form).status_code == 201
    return sid


def test_a_simulated_voicemail_in_development_mode_can_be_played_and_says_it_was_printed(
    settings: Settings, database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    development = settings.model_copy(
        update={"insecure_dev_mode": True, "voicemail_dir": tmp_path / "voicemail", "embedded_worker": False}
    )
    assert development.smtp_url is None and development.twilio_account_sid is None
    business_id = apply_after_call_document(database, NOW)
    sid = leave_simulated_message(development, database)
    make_worker(development, database, lambda: NOW + timedelta(minutes=1)).run_due()
    with database.transaction() as session:
        stored = recordings.get_recording(session, sid)
        message = inbox.message(session, business_id, sid)

    assert stored is not None and stored.audio_name == f"{sid}.mp3"
    kept = (tmp_path / "voicemail" / f"{sid}.mp3").read_bytes()
    assert kept.startswith(b"ID3")
    voice = measure_voice(decode_16k(kept, 60))
    assert voice.has_speech and 5 < voice.duration_s < 15, voice
    assert message.audio_kept
    assert message.received_at == datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # 22:00 in Amsterdam, as simulated
    channels = sorted((delivery.channel, delivery.to, delivery.state) for delivery in message.deliveries)
    assert channels == [
        ("email", "jan@jansen.example", DeliveryState.PRINTED),
        ("email", "kantoor@jansen.example", DeliveryState.PRINTED),
        ("sms", "+31687654321", DeliveryState.PRINTED),
    ]
    printed = capsys.readouterr().out
    assert printed.count("--- e-mail (no GREETLINE_SMTP_URL; not sent) ---") == 2
    assert "Attachments: " in printed and ".mp3 (" in printed


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "om 24-11-2026, 10:16 op de console van de server afgedrukt, niet verstuurd"),
        ("en", "printed on the server's console at "),
        ("de", "auf der Konsole des Servers ausgegeben, nicht gesendet"),
        ("fr", "affiché sur la console du serveur à "),
    ],
)
def test_a_printed_delivery_says_so_in_the_page_language(language: str, expected: str) -> None:
    printed = Delivery("email", "a@b.example", DeliveryState.PRINTED, 1, None, NOW + timedelta(minutes=1), None)
    words = delivery_words(translations(language), printed, "Europe/Amsterdam", language)
    assert expected in words and "verstuurd om" not in words

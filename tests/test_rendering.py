"""Greetings from text on a machine without internet: rendered, normalised, played; bad greetings refused."""

import json
import os
from pathlib import Path

import pytest

from tests.conftest import DEMO_DOCUMENT
from tests.fakes.google_tts import FakeCertificates, FakeGoogleTranslate
from tests.test_cli import run

ONLY_TEXTS = """\
business: Schildersbedrijf Van Dam
numbers: ["+31301234567"]
language: {language}
operators: ["+31612345678"]
greeting: {{text: "{greeting}"}}
"""


@pytest.fixture
def env(tmp_path: Path, unreachable_proxy_url: str) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GREETLINE_")}
    return {
        **clean,
        "GREETLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'render.db'}",
        "GREETLINE_MEDIA_DIR": str(tmp_path / "media"),
        "GREETLINE_SPEECH_CACHE_DIR": str(tmp_path / "speech-cache"),
        # Google out of reach, as on these machines and in an outage: the proxy to it refuses connections.
        "GREETLINE_TTS_PROXY_URL": unreachable_proxy_url,
        "GREETLINE_TTS_RETRY_BASE_DELAY_S": "0.01",
    }


def test_apply_offline_renders_every_text_with_the_offline_engine_and_calls_play_them(env: dict[str, str]) -> None:
    applied = run(["apply", str(DEMO_DOCUMENT)], env).stdout
    # The 13 texts of before, the holiday message (the demo closes on public holidays), and the six whispers its
    # answering service can hear (no choice, outside hours, holiday, period, each of the two menu options).
    assert "rendered 20 text(s) as speech; 0 were rendered before" in applied
    assert applied.count(" espeak ") == 20
    assert "warning: 'Goedemorgen, u spreekt met Huisartsenpraktijk De Linde.': gtts:" in applied  # told why
    media = sorted(path.suffix for path in Path(env["GREETLINE_MEDIA_DIR"]).iterdir())
    assert media.count(".wav") == 20 and media.count(".mp3") == 20

    call = json.loads(run(["call", "--to", "+31501234567", "--at", "2026-11-24 10:15", "--json"], env).stdout)
    heard = [event for event in call["events"] if event["kind"] in ("say", "play")]
    assert [event["kind"] for event in heard] == ["play"] * 4  # welcome, info, two menu options
    assert all(0.5 < event["duration_s"] < 10 for event in heard)

    again = run(["render", "+31501234567"], env).stdout
    assert "rendered 0 text(s) as speech; 20 were rendered before" in again

    # The answering service hears its whisper rendered too, by its words and measured length.
    overflowed = ["call", "--to", "+31501234567", "--at", "2026-11-24 10:15", "--press", "1", "--operators", "never"]
    call = json.loads(run([*overflowed, "--json"], env).stdout)
    whisper = [event for event in call["events"] if event["kind"] == "whisper"]
    assert [event["text"] for event in whisper] == ["Oproep voor Huisartsenpraktijk De Linde, gekozen: spoed."]
    assert 1.0 < whisper[0]["duration_s"] <= 4.0


@pytest.mark.parametrize(
    ("language", "greeting"),
    [
        ("en", "{salutation}, you are through to Schildersbedrijf Van Dam."),
        ("de", "{salutation}, Schildersbedrijf Van Dam."),
    ],
)
def test_a_document_with_only_texts_renders_in_its_language(
    env: dict[str, str], tmp_path: Path, language: str, greeting: str
) -> None:
    document = tmp_path / "business.yaml"
    document.write_text(ONLY_TEXTS.format(language=language, greeting=greeting), "utf-8")
    applied = run(["apply", str(document)], env).stdout
    assert "rendered 10 text(s)" in applied, applied  # with the holiday message


def test_a_bad_greeting_is_refused_with_what_to_fix(env: dict[str, str], tmp_path: Path) -> None:
    document = tmp_path / "business.yaml"
    document.write_text(ONLY_TEXTS.format(language="nl", greeting="Welkom! Kijk op www.vandam.nl"), "utf-8")
    result = run(["apply", str(document)], env, check=False)
    assert result.returncode == 1
    assert "greeting: the welcome does not name the business" in result.stderr
    assert not Path(env["GREETLINE_MEDIA_DIR"]).exists()  # nothing rendered, nothing stored


def test_with_google_reachable_the_first_engine_is_used(
    env: dict[str, str], tmp_path: Path, google: FakeGoogleTranslate, google_certificates: FakeCertificates
) -> None:
    document = tmp_path / "business.yaml"
    document.write_text(ONLY_TEXTS.format(language="nl", greeting="{salutation}, Schildersbedrijf Van Dam."), "utf-8")
    env = {
        **env,
        "GREETLINE_TTS_PROXY_URL": google.proxy_url,
        "GREETLINE_TTS_TLS_CA_PATH": str(google_certificates.ca_path),
    }
    applied = run(["apply", str(document)], env).stdout
    assert applied.count(" gtts ") == 10
    assert "Goedemorgen, Schildersbedrijf Van Dam." in google.texts()


def test_a_recording_named_in_the_document_is_normalised_and_played(env: dict[str, str], tmp_path: Path) -> None:
    from tests.audio.signals import encode, speech_wav

    voice = speech_wav(tmp_path / "voice.wav", "Goedemiddag, u spreekt met Schildersbedrijf Van Dam.")
    encode(voice, tmp_path / "welkom.m4a", "-af", "volume=-20dB", "-ac", "2", "-ar", "44100", "-c:a", "aac")
    document = tmp_path / "business.yaml"
    document.write_text(
        ONLY_TEXTS.format(language="nl", greeting="{salutation}, Schildersbedrijf Van Dam.").replace(
            'greeting: {text: "{salutation}, Schildersbedrijf Van Dam."}', "greeting: {file: welkom.m4a}"
        ),
        "utf-8",
    )
    run(["apply", "--no-render", str(document)], env)
    exported = run(["export", "+31301234567"], env).stdout
    assert "file: welkom.m4a" in exported and "media: " in exported
    call = json.loads(run(["call", "--to", "+31301234567", "--json"], env).stdout)
    first = call["events"][0]
    assert first["kind"] == "play" and 2.0 < first["duration_s"] < 5.0


def test_a_broken_recording_refuses_the_document_and_stores_nothing(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "welkom.mp3").write_text("this is not audio", "utf-8")
    document = tmp_path / "business.yaml"
    document.write_text(
        'business: Van Dam\nnumbers: ["+31301234567"]\noperators: ["+31612345678"]\ngreeting: {file: welkom.mp3}\n',
        "utf-8",
    )
    result = run(["apply", str(document)], env, check=False)
    assert result.returncode == 1
    assert "greeting.file: welkom.mp3: this is not an audio format we accept" in result.stderr
    assert run(["export", "+31301234567"], env, check=False).returncode == 1

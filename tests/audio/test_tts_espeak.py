"""espeak-ng for real: every product language, awkward text, and a missing install."""

import pytest

from audio.tts import EspeakEngine, SpeechError
from tests.fakes.google_tts import decoded_duration_s

GREETINGS = {
    "nl": "Goedemiddag, u spreekt met huisartsenpraktijk De Linde.",
    "en": "Good afternoon, you are speaking with the De Linde practice.",
    "de": "Guten Tag, Sie sind mit der Praxis De Linde verbunden.",
    "fr": "Bonjour, vous êtes bien au cabinet De Linde.",
}
ESPEAK = EspeakEngine(timeout_s=10.0)


@pytest.mark.parametrize("language", sorted(GREETINGS))
def test_every_language_is_spoken_as_wav_that_decodes(language: str) -> None:
    audio = ESPEAK.synthesize(GREETINGS[language], language)

    assert audio[:4] == b"RIFF"
    # Eight or nine words at espeak-ng's default 175 words a minute: about three seconds.
    assert 2.0 < decoded_duration_s(audio) < 6.0


def test_the_wav_header_states_the_real_length() -> None:
    audio = ESPEAK.synthesize("Een ogenblik geduld alstublieft.", "nl")

    data_size = int.from_bytes(audio[40:44], "little")
    assert audio[36:40] == b"data"
    assert data_size == len(audio) - 44


def test_more_text_takes_longer() -> None:
    short = ESPEAK.synthesize("Welkom.", "nl")
    long = ESPEAK.synthesize("Welkom. Wij zijn gesloten. Belt u morgen terug na acht uur.", "nl")

    assert decoded_duration_s(long) > 3 * decoded_duration_s(short)


def test_text_that_looks_like_options_or_shell_is_only_spoken() -> None:
    audio = ESPEAK.synthesize('-v xx --stdout; rm -rf / $(echo "hi") `id` ça', "fr")

    assert decoded_duration_s(audio) > 1.0


@pytest.mark.parametrize(("language", "voice"), [("nl", "nl"), ("en", "en-gb"), ("de", "de"), ("fr", "fr-fr")])
def test_voices_are_espeaks_names(language: str, voice: str) -> None:
    assert ESPEAK.voice(language) == voice


def test_a_missing_espeak_names_the_package_to_install() -> None:
    engine = EspeakEngine(timeout_s=10.0, executable="espeak-ng-not-installed")

    with pytest.raises(SpeechError, match=r"'espeak-ng-not-installed' is not installed \(apt-get install espeak-ng\)"):
        engine.synthesize("Hallo.", "nl")

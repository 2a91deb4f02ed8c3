"""Is anyone speaking? Measured on what a voicemail box records, made by the real espeak-ng and ffmpeg (issue 22):
twenty seconds of silence, a busy tone, a dial tone or line hiss are no message; a caller speaking is."""

from collections.abc import Callable

import numpy as np
import pytest

from audio.transcribe.listen import listen
from audio.transcribe.model import MAX_TRANSCRIBED_S, NoSpeech, Transcript, UndecodableRecording
from audio.transcribe.samples import RATE_HZ, Samples
from audio.transcribe.voice import MIN_SPEECH_S, decode_16k, measure_voice
from tests.audio.telephone_signals import (
    busy_tone_mp3,
    corrupt_mp3,
    dial_tone_mp3,
    long_message_mp3,
    low_noise_mp3,
    silence_mp3,
    spoken_mp3,
)

NOT_MESSAGES = [silence_mp3, busy_tone_mp3, dial_tone_mp3, low_noise_mp3]


class Scribe:
    """An engine that writes what it is told and records that it was asked (the seam's own test double)."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, tuple[str, ...], bool]] = []

    def transcribe(self, samples: Samples, languages: tuple[str, ...], cut_short: bool) -> Transcript:
        self.asked.append((len(samples), languages, cut_short))
        return Transcript("words", languages[0], 0.9, cut_short)


@pytest.mark.parametrize("recording", NOT_MESSAGES, ids=lambda made: made.__name__)
def test_twenty_seconds_without_a_voice_hold_no_speech(recording: Callable[[], bytes]) -> None:
    report = measure_voice(decode_16k(recording(), 300))
    assert report.duration_s == pytest.approx(20.0, abs=0.3)  # an MP3 encoder pads its last frames
    assert report.speech_s == 0.0 and not report.has_speech


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        ("Hello, I am calling about my blood test results. Please call me back.", "en"),
        ("Goedemiddag, er is een lekkage in de badkamer. Wilt u mij terugbellen?", "nl"),
        ("Guten Tag, die Heizung ist ausgefallen. Bitte rufen Sie mich zurück.", "de"),
        ("Bonjour, j'ai une fuite d'eau dans la cuisine. Rappelez-moi, s'il vous plaît.", "fr"),
    ],
)
def test_a_caller_speaking_holds_speech(text: str, voice: str) -> None:
    report = measure_voice(decode_16k(spoken_mp3(text, voice), 300))
    assert report.has_speech
    assert report.speech_s >= 0.5 * report.duration_s  # most of a sentence spoken without pause is speech


def test_speech_after_a_busy_tone_is_still_found() -> None:
    tone, voice = decode_16k(busy_tone_mp3(), 5), decode_16k(spoken_mp3("Please call me back today."), 300)
    report = measure_voice(np.concatenate([tone, voice]))
    assert report.speech_s >= MIN_SPEECH_S


@pytest.mark.parametrize("recording", NOT_MESSAGES, ids=lambda made: made.__name__)
def test_the_engine_is_never_asked_to_write_words_for_a_recording_without_a_voice(
    recording: Callable[[], bytes],
) -> None:
    scribe = Scribe()
    assert isinstance(listen(scribe, recording(), ("nl", "de", "fr", "en")), NoSpeech)
    assert scribe.asked == []


def test_a_spoken_recording_reaches_the_engine_at_sixteen_kilohertz_with_the_business_language_first() -> None:
    scribe = Scribe()
    heard = listen(scribe, spoken_mp3("Hello, please call me back."), ("de", "nl", "fr", "en"))
    assert heard == Transcript("words", "de", 0.9, False)
    ((samples, languages, cut_short),) = scribe.asked
    assert languages == ("de", "nl", "fr", "en") and not cut_short
    assert 1.0 * RATE_HZ < samples < 5.0 * RATE_HZ


def test_of_an_hour_long_recording_the_first_five_minutes_are_written_out_and_it_says_so() -> None:
    scribe = Scribe()
    heard = listen(scribe, long_message_mp3(60), ("nl", "de", "fr", "en"))
    assert isinstance(heard, Transcript) and heard.cut_short
    ((samples, _languages, cut_short),) = scribe.asked
    assert cut_short and samples == MAX_TRANSCRIBED_S * RATE_HZ


def test_a_corrupt_recording_is_refused_as_undecodable_not_taken_for_silence() -> None:
    with pytest.raises(UndecodableRecording, match="could not be decoded"):
        listen(Scribe(), corrupt_mp3(), ("nl",))

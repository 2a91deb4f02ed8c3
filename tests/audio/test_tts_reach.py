"""Google out of reach is remembered for a while (audio.tts.reach): the texts after the first go straight to the
offline engine instead of waiting through Google's timeouts and retries each; after the while, Google is tried
first again. Real gTTS requests against the fake Google on 127.0.0.1, real espeak-ng."""

from pathlib import Path

from audio.objects import LocalObjects
from audio.tts import GttsEngine, synthesize_with_fallback
from audio.tts.cache import SpeechCache
from audio.tts.errors import EngineFailure
from audio.tts.espeak_engine import EspeakEngine
from audio.tts.reach import UNREACHABLE_REMEMBERED_S, Reach
from tests.fakes.google_tts import FakeCertificates, FakeGoogleTranslate, Reply

pytest_plugins = ["tests.fakes.google_tts"]

RETRIES = 2  # three attempts per text
ESPEAK_TIMEOUT_S = 60.0  # a busy machine; espeak-ng speaks these in well under a second when idle


class Clock:
    def __init__(self) -> None:
        self.now_s = 1000.0

    def __call__(self) -> float:
        return self.now_s


def engines(google: FakeGoogleTranslate, certificates: FakeCertificates) -> list[GttsEngine | EspeakEngine]:
    gtts = GttsEngine(
        timeout_s=5.0,
        retries=RETRIES,
        retry_base_delay_s=0.01,
        proxy_url=google.proxy_url,
        tls_ca_path=certificates.ca_path,
    )
    return [gtts, EspeakEngine(timeout_s=ESPEAK_TIMEOUT_S)]


def test_google_out_of_reach_is_skipped_for_a_while_then_tried_again(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, tmp_path: Path
) -> None:
    clock = Clock()
    reach = Reach(clock=clock)
    cache = SpeechCache(LocalObjects(tmp_path / "speech"))
    both = engines(google, google_certificates)
    google.default = Reply.DROP  # every connection closes: out of reach

    first = synthesize_with_fallback("Goedemorgen.", "nl", both, cache, reach)
    assert first.engine == "espeak" and [failure.code for failure in first.failures] == ["speech_unreachable"]
    assert len(google.seen) == RETRIES + 1
    assert reach.out_of_reach() == ["gtts"]

    # The next texts: not one more request to Google, no failure to report.
    for text in ("Wij zijn gesloten.", "Spreek een bericht in."):
        later = synthesize_with_fallback(text, "nl", both, cache, reach)
        assert later.engine == "espeak" and later.failures == ()
    assert len(google.seen) == RETRIES + 1

    # After the while, with the network back: Google first again.
    google.default = Reply.AUDIO
    clock.now_s += UNREACHABLE_REMEMBERED_S + 1
    assert reach.out_of_reach() == []
    back = synthesize_with_fallback("Tot ziens.", "nl", both, cache, reach)
    assert back.engine == "gtts" and len(google.seen) == RETRIES + 2


def test_a_text_google_refuses_is_not_taken_for_google_out_of_reach(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, tmp_path: Path
) -> None:
    reach = Reach(clock=Clock())
    cache = SpeechCache(LocalObjects(tmp_path / "speech"))
    google.queue(Reply.CONSENT_PAGE)  # an answer without audio, for this text only
    refused = synthesize_with_fallback("Goedemorgen.", "nl", engines(google, google_certificates), cache, reach)
    assert refused.engine == "espeak" and [failure.code for failure in refused.failures] == ["speech_failed"]
    assert reach.out_of_reach() == []
    assert synthesize_with_fallback(
        "Goedenavond.", "nl", engines(google, google_certificates), cache, reach
    ).engine == ("gtts")


def test_when_every_engine_is_out_of_reach_they_are_tried_rather_than_none() -> None:
    reach = Reach(clock=Clock())
    reach.heard([EngineFailure("espeak", "speech_unreachable", "gone")])
    espeak = EspeakEngine(timeout_s=ESPEAK_TIMEOUT_S)
    assert reach.usable([espeak]) == [espeak]

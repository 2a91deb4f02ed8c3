"""Engine order, fallback and the cache, with the real engines: gTTS against the fake Google, espeak-ng for real."""

from pathlib import Path

import pytest

from audio.objects import LocalObjects
from audio.tts import (
    EspeakEngine,
    GttsEngine,
    NoSpeechEngineWorked,
    SpeechCache,
    SpeechEngine,
    SpeechError,
    SpeechKey,
    build_engines,
    synthesize_with_fallback,
)
from tests.fakes.google_tts import FakeCertificates, FakeGoogleTranslate, Reply, decoded_duration_s

pytest_plugins = ["tests.fakes.google_tts"]

GREETING = "Goedemiddag, u spreekt met huisartsenpraktijk De Linde."
# Still a real retry with a real delay, just short enough for the suite.
RETRY_BASE_DELAY_S = 0.01


@pytest.fixture
def cache_root(tmp_path: Path) -> Path:
    return tmp_path / "speech"


@pytest.fixture
def cache(cache_root: Path) -> SpeechCache:
    return SpeechCache(LocalObjects(cache_root))


@pytest.fixture
def gtts(google: FakeGoogleTranslate, google_certificates: FakeCertificates) -> GttsEngine:
    return GttsEngine(
        timeout_s=5.0,
        retries=1,
        retry_base_delay_s=RETRY_BASE_DELAY_S,
        proxy_url=google.proxy_url,
        tls_ca_path=google_certificates.ca_path,
    )


@pytest.fixture
def espeak() -> EspeakEngine:
    return EspeakEngine(timeout_s=10.0)


def test_google_first_when_it_answers(gtts: GttsEngine, espeak: EspeakEngine, cache: SpeechCache) -> None:
    speech = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)

    assert (speech.engine, speech.voice, speech.from_cache, speech.failures) == (
        "gtts",
        "google-translate-com-nl",
        False,
        (),
    )
    assert speech.audio[:4] != b"RIFF"


def test_the_same_text_is_never_sent_to_google_twice(
    google: FakeGoogleTranslate, gtts: GttsEngine, espeak: EspeakEngine, cache: SpeechCache
) -> None:
    first = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)
    second = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)

    assert len(google.seen) == 1
    assert (second.from_cache, second.audio, second.engine) == (True, first.audio, "gtts")


def test_another_language_or_text_is_rendered_anew(
    google: FakeGoogleTranslate, gtts: GttsEngine, cache: SpeechCache
) -> None:
    synthesize_with_fallback("Hallo.", "nl", [gtts], cache)
    synthesize_with_fallback("Hallo.", "de", [gtts], cache)
    synthesize_with_fallback("Hallo!", "de", [gtts], cache)

    assert [(seen.text, seen.language) for seen in google.seen] == [
        ("Hallo.", "nl"),
        ("Hallo.", "de"),
        ("Hallo!", "de"),
    ]


def test_espeak_speaks_when_google_is_out_of_reach(
    unreachable_proxy_url: str, google_certificates: FakeCertificates, cache: SpeechCache
) -> None:
    engines = build_engines(
        ["gtts", "espeak"],
        timeout_s=1.0,
        proxy_url=unreachable_proxy_url,
        retries=1,
        retry_base_delay_s=RETRY_BASE_DELAY_S,
        tls_ca_path=google_certificates.ca_path,
    )

    speech = synthesize_with_fallback(GREETING, "nl", engines, cache)

    assert (speech.engine, speech.voice, speech.from_cache) == ("espeak", "nl", False)
    assert decoded_duration_s(speech.audio) > 2.0
    assert len(speech.failures) == 1
    assert str(speech.failures[0]).startswith(
        "gtts: Google gave no audio for chunk 1 of 1 after 2 attempts; last: the proxy"
    )


def test_audio_that_does_not_decode_counts_as_a_failure_and_is_not_cached(
    google: FakeGoogleTranslate, gtts: GttsEngine, espeak: EspeakEngine, cache: SpeechCache
) -> None:
    google.default = Reply.NOT_AUDIO

    speech = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)

    assert speech.engine == "espeak"
    assert tuple(map(str, speech.failures)) == (
        "gtts: the engine returned 1000 bytes that do not decode as audio "
        "(pipe:0: Invalid data found when processing input)",
    )
    assert cache.get(SpeechKey("gtts", gtts.voice("nl"), "nl", GREETING)) is None


def test_a_recovered_google_is_preferred_over_a_cached_espeak_rendering(
    google: FakeGoogleTranslate, gtts: GttsEngine, espeak: EspeakEngine, cache: SpeechCache
) -> None:
    google.queue(Reply.TOO_MANY_REQUESTS, Reply.TOO_MANY_REQUESTS)
    during_outage = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)
    after_outage = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)

    assert (during_outage.engine, after_outage.engine, after_outage.failures) == ("espeak", "gtts", ())
    assert len(google.seen) == 3


def test_a_cached_google_rendering_survives_an_outage(
    google: FakeGoogleTranslate, gtts: GttsEngine, espeak: EspeakEngine, cache: SpeechCache
) -> None:
    before = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)
    google.default = Reply.TOO_MANY_REQUESTS

    during = synthesize_with_fallback(GREETING, "nl", [gtts, espeak], cache)

    assert (during.engine, during.from_cache, during.audio, during.failures) == ("gtts", True, before.audio, ())
    assert len(google.seen) == 1


def test_espeak_first_when_configured_first(
    google: FakeGoogleTranslate, gtts: GttsEngine, espeak: EspeakEngine, cache: SpeechCache
) -> None:
    speech = synthesize_with_fallback(GREETING, "nl", [espeak, gtts], cache)

    assert speech.engine == "espeak"
    assert google.tunnels == []


def test_when_no_engine_works_the_business_is_told_why_and_that_say_stays(
    google: FakeGoogleTranslate, gtts: GttsEngine, cache: SpeechCache
) -> None:
    google.default = Reply.TOO_MANY_REQUESTS
    missing_espeak = EspeakEngine(timeout_s=10.0, executable="espeak-ng-not-installed")

    with pytest.raises(NoSpeechEngineWorked) as raised:
        synthesize_with_fallback(GREETING, "fr", [gtts, missing_espeak], cache)

    assert tuple(map(str, raised.value.failures)) == (
        "gtts: Google gave no audio for chunk 1 of 1 after 2 attempts; last: HTTP 429 Too Many Requests",
        "espeak: 'espeak-ng-not-installed' is not installed (apt-get install espeak-ng)",
    )
    assert str(raised.value).endswith("the call flow keeps using <Say> in 'fr' until one of them works again")
    assert isinstance(raised.value, SpeechError)


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        ("Hola.", "es", "language must be one of nl, en, de, fr, got 'es'"),
        ("  \n", "nl", "there is no text to speak"),
    ],
)
def test_requests_that_no_engine_could_serve_are_refused_up_front(
    espeak: EspeakEngine, cache: SpeechCache, text: str, language: str, reason: str
) -> None:
    with pytest.raises(SpeechError, match=reason):
        synthesize_with_fallback(text, language, [espeak], cache)


def test_build_engines_follows_the_configured_order() -> None:
    engines: list[SpeechEngine] = build_engines(
        ["espeak", "gtts"], timeout_s=5.0, proxy_url="http://proxy.invalid:3128"
    )

    assert [engine.name for engine in engines] == ["espeak", "gtts"]
    gtts = engines[1]
    assert isinstance(gtts, GttsEngine)
    assert (gtts.timeout_s, gtts.proxy_url, gtts.retries) == (5.0, "http://proxy.invalid:3128", 3)


@pytest.mark.parametrize(
    ("order", "reason"),
    [
        (["gtts", "polly"], r"unknown speech engine 'polly'; valid engines are: gtts, espeak"),
        ([], r"the speech engine order is empty; list one or more of: gtts, espeak"),
        (["espeak", "espeak"], r"speech engine 'espeak' is listed more than once"),
    ],
)
def test_build_engines_refuses_a_bad_order(order: list[str], reason: str) -> None:
    with pytest.raises(SpeechError, match=reason):
        build_engines(order, timeout_s=5.0)


@pytest.mark.parametrize(
    "changed",
    [
        SpeechKey("espeak", "nl", "nl", "Hallo."),
        SpeechKey("gtts", "en-gb", "nl", "Hallo."),
        SpeechKey("gtts", "nl", "de", "Hallo."),
        SpeechKey("gtts", "nl", "nl", "Hallo!"),
        SpeechKey("gtts", "nln", "l", "Hallo."),  # the same characters, split differently
    ],
)
def test_every_part_of_the_key_addresses_its_own_file(cache: SpeechCache, changed: SpeechKey) -> None:
    original = SpeechKey("gtts", "nl", "nl", "Hallo.")
    cache.put(original, b"original")

    assert cache.object_key(changed) != cache.object_key(original)
    assert cache.get(changed) is None
    assert cache.get(original) == b"original"


def test_the_cache_leaves_no_partial_files(cache: SpeechCache, cache_root: Path) -> None:
    key = SpeechKey("espeak", "nl", "nl", "Hallo.")
    cache.put(key, b"first")
    cache.put(key, b"second")

    path = cache_root / cache.object_key(key)
    assert cache.get(key) == b"second"
    assert sorted(entry.name for entry in path.parent.iterdir()) == [path.name]

"""The gTTS engine through gTTS's own request building, over real HTTPS, against a fake Google behind a proxy."""

import time

import pytest

from audio.tts import GttsEngine, SpeechError
from audio.tts.gtts_engine import audio_from_answer
from tests.fakes.google_tts import (
    BATCHEXECUTE_PATH,
    FakeCertificates,
    FakeGoogleTranslate,
    Reply,
    batchexecute_answer,
    decoded_duration_s,
    seen_gaps_s,
)

pytest_plugins = ["tests.fakes.google_tts"]

# The product's retry delay, shortened so the suite stays fast (a real delay, not a wait for synchronisation).
RETRY_BASE_DELAY_S = 0.01
# mp3 decoders add or drop up to a frame (24 ms at 24 kHz) at the edges of each stream.
FRAME_TOLERANCE_S = 0.03
LONG_DUTCH_TEXT = (
    "Goedemiddag, u spreekt met huisartsenpraktijk De Linde. Wij zijn op dit moment gesloten, "
    "want het is weekend of een feestdag. Bij levensbedreigende situaties belt u direct 112. "
    "Voor spoed buiten kantoortijden belt u de huisartsenpost. Wij zijn maandag weer bereikbaar vanaf acht uur."
)


def engine_for(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, *, timeout_s: float = 5.0, retries: int = 3
) -> GttsEngine:
    return GttsEngine(
        timeout_s=timeout_s,
        retries=retries,
        retry_base_delay_s=RETRY_BASE_DELAY_S,
        proxy_url=google.proxy_url,
        tls_ca_path=google_certificates.ca_path,
    )


def test_speaks_a_short_text_with_one_request_to_googles_endpoint(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, google_clip_s: float
) -> None:
    audio = engine_for(google, google_certificates).synthesize("Goedemiddag, u spreekt met De Linde.", "nl")

    assert decoded_duration_s(audio) == pytest.approx(google_clip_s, abs=FRAME_TOLERANCE_S)
    assert [(seen.tunnel_host, seen.path, seen.language) for seen in google.seen] == [
        ("translate.google.com", BATCHEXECUTE_PATH, "nl")
    ]
    assert google.texts() == ["Goedemiddag, u spreekt met De Linde."]


def test_long_text_goes_in_chunks_of_at_most_100_characters_and_the_audio_is_joined(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, google_clip_s: float
) -> None:
    audio = engine_for(google, google_certificates).synthesize(LONG_DUTCH_TEXT, "nl")

    chunks = google.texts()
    assert len(chunks) >= 3
    assert all(len(chunk) <= 100 for chunk in chunks)
    # gTTS cuts at punctuation and drops it; every word arrives, once, in order.
    assert " ".join(chunks).replace(".", "").replace(",", "").split() == (
        LONG_DUTCH_TEXT.replace(".", "").replace(",", "").split()
    )
    assert decoded_duration_s(audio) == pytest.approx(len(chunks) * google_clip_s, abs=len(chunks) * FRAME_TOLERANCE_S)


def test_rate_limiting_is_retried_with_doubling_backoff(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, google_clip_s: float
) -> None:
    google.queue(Reply.TOO_MANY_REQUESTS, Reply.TOO_MANY_REQUESTS)
    # Long enough to stand out from a request's own round trip here (~45 ms: the client's Nagle meets delayed ACK).
    base_delay_s = 0.1
    engine = GttsEngine(
        timeout_s=5.0,
        retry_base_delay_s=base_delay_s,
        proxy_url=google.proxy_url,
        tls_ca_path=google_certificates.ca_path,
    )

    audio = engine.synthesize("Een ogenblik geduld.", "nl")

    assert [seen.reply for seen in google.seen] == [Reply.TOO_MANY_REQUESTS, Reply.TOO_MANY_REQUESTS, Reply.AUDIO]
    first_gap_s, second_gap_s = seen_gaps_s(google.seen)
    assert first_gap_s >= base_delay_s
    assert second_gap_s >= 2 * base_delay_s
    assert decoded_duration_s(audio) == pytest.approx(google_clip_s, abs=FRAME_TOLERANCE_S)


def test_only_the_failed_chunk_is_retried(google: FakeGoogleTranslate, google_certificates: FakeCertificates) -> None:
    google.queue(Reply.AUDIO, Reply.SERVER_ERROR)

    engine_for(google, google_certificates).synthesize(LONG_DUTCH_TEXT, "nl")

    texts = google.texts()
    assert texts[1] == texts[2]
    assert len(set(texts)) == len(texts) - 1


def test_gives_up_after_the_configured_retries_and_says_why(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates
) -> None:
    google.default = Reply.TOO_MANY_REQUESTS

    with pytest.raises(SpeechError, match=r"chunk 1 of 1 after 3 attempts; last: HTTP 429"):
        engine_for(google, google_certificates, retries=2).synthesize("Hallo.", "nl")
    assert len(google.seen) == 3


def test_dropped_connections_and_server_errors_are_transient(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, google_clip_s: float
) -> None:
    google.queue(Reply.DROP, Reply.SERVER_ERROR)

    audio = engine_for(google, google_certificates).synthesize("Guten Tag.", "de")

    assert [seen.reply for seen in google.seen] == [Reply.DROP, Reply.SERVER_ERROR, Reply.AUDIO]
    assert decoded_duration_s(audio) == pytest.approx(google_clip_s, abs=FRAME_TOLERANCE_S)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply.CONSENT_PAGE, "carries no audio rpc at all"),
        (Reply.RPC_ERROR, "without audio in the rpc payload"),
    ],
)
def test_an_answer_without_audio_is_refused_not_written_as_an_empty_file(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates, reply: Reply, reason: str
) -> None:
    google.default = reply

    with pytest.raises(SpeechError, match=reason):
        engine_for(google, google_certificates).synthesize("Bonjour.", "fr")
    # A changed answer will not change back by asking again.
    assert len(google.seen) == 1


def test_a_stalled_answer_times_out_on_every_attempt(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates
) -> None:
    google.default = Reply.STALL
    started_s = time.monotonic()

    with pytest.raises(SpeechError, match=r"after 2 attempts; last: no answer within 0.3 s"):
        engine_for(google, google_certificates, timeout_s=0.3, retries=1).synthesize("Hallo.", "nl")
    assert len(google.seen) == 2
    assert time.monotonic() - started_s < 2.0


def test_an_untrusted_certificate_is_refused_without_retrying(google: FakeGoogleTranslate) -> None:
    # gTTS itself sends with verify=False; a proxy in the middle could then put any audio on the phone line.
    engine = GttsEngine(timeout_s=5.0, retry_base_delay_s=RETRY_BASE_DELAY_S, proxy_url=google.proxy_url)

    with pytest.raises(SpeechError, match="TLS certificate was refused"):
        engine.synthesize("Hallo.", "nl")
    assert google.tunnels == ["translate.google.com:443"]
    assert google.seen == []


def test_an_unreachable_proxy_fails_after_the_retries(unreachable_proxy_url: str) -> None:
    engine = GttsEngine(
        timeout_s=1.0, retries=1, retry_base_delay_s=RETRY_BASE_DELAY_S, proxy_url=unreachable_proxy_url
    )

    with pytest.raises(SpeechError, match=rf"after 2 attempts; last: the proxy {unreachable_proxy_url} could not"):
        engine.synthesize("Hallo.", "nl")


def test_languages_outside_the_product_are_refused_before_any_request(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates
) -> None:
    with pytest.raises(SpeechError, match="language must be one of nl, en, de, fr, got 'es'"):
        engine_for(google, google_certificates).synthesize("Hola.", "es")
    assert google.tunnels == []


def test_the_voice_names_the_google_host_and_language(
    google: FakeGoogleTranslate, google_certificates: FakeCertificates
) -> None:
    assert engine_for(google, google_certificates).voice("en") == "google-translate-com-en"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (batchexecute_answer('["not base64!"]'), "not valid base64"),
        (batchexecute_answer('[""]'), "empty audio payload"),
        (b"", "carries no audio rpc at all"),
    ],
)
def test_malformed_payloads_are_refused(answer: bytes, reason: str) -> None:
    with pytest.raises(SpeechError, match=reason):
        audio_from_answer(answer, "chunk 1 of 1")


def test_backoff_doubles_up_to_the_ceiling() -> None:
    engine = GttsEngine(timeout_s=1.0, retry_base_delay_s=0.5, retry_max_delay_s=3.0)
    assert [engine.backoff_s(retry) for retry in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]

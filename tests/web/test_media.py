"""Greeting audio served to Twilio: exact content type, immutable caching, ETag, HEAD and byte ranges."""

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from fastapi import FastAPI

from audio import mulaw
from audio.media import MediaStore
from audio.normalize import NormalizedGreeting
from audio.objects import LocalObjects
from audio.report import NormalizationReport
from audio.wav import mulaw_wav
from ivr.web.media import media_router
from tests.local_server import running_server
from tests.seaweedfs import S3Store

pytest_plugins = ["tests.seaweedfs"]

WAV = mulaw_wav(mulaw.encode(0.3 * np.sin(np.arange(8000) / 3)))


@pytest.fixture
def stored(tmp_path: Path) -> tuple[MediaStore, str]:
    store = MediaStore(LocalObjects(tmp_path / "media"))
    return store, store.save(NormalizedGreeting(WAV, NormalizationReport("WAV", 1.0, 8000, -20.0, -3.0)))


@pytest.fixture
def http(stored: tuple[MediaStore, str]) -> Iterator[httpx.Client]:
    app = FastAPI()
    app.include_router(media_router(stored[0]))
    with running_server(app) as url, httpx.Client(base_url=url) as client:
        yield client


def test_wav_is_served_with_audio_type_and_immutable_caching(
    http: httpx.Client, stored: tuple[MediaStore, str]
) -> None:
    response = http.get(f"/media/{stored[1]}.wav")
    assert response.status_code == 200
    assert response.content == WAV
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["etag"] == f'"{stored[1]}.wav"'


def test_preview_head_range_and_conditional_get(http: httpx.Client, stored: tuple[MediaStore, str]) -> None:
    media_id = stored[1]
    head = http.head(f"/media/{media_id}.mp3")
    assert (head.status_code, head.headers["content-type"], head.content) == (200, "audio/mpeg", b"")
    assert head.headers["content-length"] == str(len(stored[0].read(media_id, "mp3") or b""))
    part = http.get(f"/media/{media_id}.wav", headers={"Range": "bytes=0-11"})
    assert (part.status_code, part.content) == (206, WAV[:12])
    assert part.headers["content-range"] == f"bytes 0-11/{len(WAV)}"
    for tags in (f'"{media_id}.wav"', f'"other", W/"{media_id}.wav"', "*"):
        unchanged = http.get(f"/media/{media_id}.wav", headers={"If-None-Match": tags})
        assert (unchanged.status_code, unchanged.content) == (304, b""), tags
        assert unchanged.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert http.get(f"/media/{media_id}.wav", headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("path", ["/media/../../etc/passwd.wav", "/media/abc.wav", "/media/%s.exe", "/media/%s.ogg"])
def test_anything_else_is_404(http: httpx.Client, stored: tuple[MediaStore, str], path: str) -> None:
    assert http.get(path.replace("%s", stored[1])).status_code == 404


def test_the_id_is_the_hash_of_the_content_and_saving_twice_is_harmless(stored: tuple[MediaStore, str]) -> None:
    store, media_id = stored
    assert media_id == hashlib.sha256(WAV).hexdigest()
    assert store.save(NormalizedGreeting(WAV, NormalizationReport("WAV", 1, 8000, -20, -3))) == media_id
    assert store.duration_s(media_id) == 1.0
    assert isinstance(store.objects, LocalObjects)
    assert not list(store.objects.root.glob(".partial-*"))


def test_the_same_route_streams_from_an_s3_store(seaweedfs: S3Store) -> None:
    from audio.s3_objects import S3Objects

    store = MediaStore(S3Objects(seaweedfs.client(), seaweedfs.bucket, "test/media"))
    media_id = store.save(NormalizedGreeting(WAV, NormalizationReport("WAV", 1.0, 8000, -20.0, -3.0)))
    app = FastAPI()
    app.include_router(media_router(store))
    with running_server(app) as url, httpx.Client(base_url=url) as http:
        wav = http.get(f"/media/{media_id}.wav")
        head = http.head(f"/media/{media_id}.mp3")
        again = http.get(f"/media/{media_id}.wav", headers={"If-None-Match": f'"{media_id}.wav"'})
        missing = http.get(f"/media/{'0' * 64}.wav")
    assert (wav.status_code, wav.headers["content-type"], wav.content) == (200, "audio/wav", WAV)
    assert wav.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (head.status_code, head.headers["content-type"], head.content) == (200, "audio/mpeg", b"")
    assert head.headers["content-length"] == str(len(store.read(media_id, "mp3") or b""))
    assert again.status_code == 304
    assert missing.status_code == 404

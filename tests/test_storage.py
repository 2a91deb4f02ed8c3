"""GREETLINE_MEDIA_URL: which store each kind of audio goes to, and settings refused with the fix named."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from audio.objects import LocalObjects
from audio.s3_objects import S3Objects
from ivr.audio_stores import storage
from ivr.cli.runtime import migrate
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from tests.local_server import server_process
from tests.seaweedfs import S3Store
from tests.test_serve_process import environment as serve_environment
from tests.test_serve_process import signed_call

pytest_plugins = ["tests.seaweedfs"]


def test_by_default_each_kind_keeps_its_own_local_directory(tmp_path: Path) -> None:
    settings = Settings(
        media_dir=tmp_path / "media", speech_cache_dir=tmp_path / "speech", voicemail_dir=tmp_path / "voicemail"
    )
    made = storage(settings)
    made.voicemails.keep("RE" + "0" * 32, b"ID3" + bytes(200))
    assert isinstance(made.media.objects, LocalObjects) and made.media.objects.root == tmp_path / "media"
    assert isinstance(made.speech.objects, LocalObjects) and made.speech.objects.root == tmp_path / "speech"
    kept = tmp_path / "voicemail" / f"RE{'0' * 32}.mp3"
    assert kept.stat().st_mode & 0o777 == 0o600  # private: medical data at a GP practice
    assert (tmp_path / "voicemail").stat().st_mode & 0o777 == 0o700


def test_a_file_url_names_the_greetings_directory(tmp_path: Path) -> None:
    made = storage(Settings(media_url=f"file://{tmp_path}/greetings"))
    assert isinstance(made.media.objects, LocalObjects) and made.media.objects.root == tmp_path / "greetings"


def test_an_s3_url_keeps_every_kind_in_the_bucket_under_its_own_prefix(
    seaweedfs: S3Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in seaweedfs.environment("practices/eu").items():
        monkeypatch.setenv(name, value)  # boto3 reads the standard AWS_* variables itself
    made = storage(Settings())
    assert isinstance(made.media.objects, S3Objects)
    made.voicemails.keep("RE" + "1" * 32, b"ID3" + bytes(200))
    made.speech.objects.put("ab/abcd", b"speech", "application/octet-stream")
    listed = seaweedfs.client().list_objects_v2(Bucket=seaweedfs.bucket, Prefix="practices/eu/")
    assert sorted(item["Key"] for item in listed["Contents"]) == [
        "practices/eu/speech-cache/ab/abcd",
        f"practices/eu/voicemail/RE{'1' * 32}.mp3",
    ]
    assert made.voicemails.read("RE" + "1" * 32) == b"ID3" + bytes(200)
    assert made.voicemails.read("RE" + "2" * 32) is None


@pytest.mark.parametrize("url", ["s3://", "http://bucket/prefix", "file://", "/var/media"])
def test_a_media_url_that_is_neither_file_nor_s3_is_refused_with_the_fix(url: str) -> None:
    with pytest.raises(ValidationError, match=r"file:///path/to/dir or s3://BUCKET/PREFIX"):
        Settings(media_url=url)


def test_migrate_creates_the_bucket_once(seaweedfs: S3Store, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in seaweedfs.environment("greetings").items():
        monkeypatch.setenv(name, value)
    settings = Settings(database_url=sqlite_url, media_url="s3://fresh-bucket/greetings")
    assert migrate(settings) == ["created the bucket 'fresh-bucket'"]
    assert migrate(settings) == []
    assert "fresh-bucket" in {bucket["Name"] for bucket in seaweedfs.client().list_buckets()["Buckets"]}


def test_a_store_that_does_not_answer_is_one_line_naming_what_to_check(sqlite_url: str) -> None:
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("GREETLINE_", "AWS_"))},
        "GREETLINE_DATABASE_URL": sqlite_url,
        "GREETLINE_MEDIA_URL": "s3://greetline/prefix",
        "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9",  # nothing listens on the discard port
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ivr", "migrate"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "the S3 store at http://127.0.0.1:9" in result.stderr and "AWS_ENDPOINT_URL_S3" in result.stderr


def test_serve_starts_and_answers_calls_while_the_store_is_away(settings: Settings, demo_text: str) -> None:
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, demo_text, datetime.now(UTC))
    database.dispose()
    away = {
        **serve_environment(settings),
        "GREETLINE_MEDIA_URL": "s3://greetline/prefix",
        "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    with server_process(away) as server, httpx.Client(base_url=server.base_url, timeout=10.0) as http:
        form, headers = signed_call("CA" + "1" * 32)
        answered = http.post("/twilio/voice", data=form, headers=headers)
    assert any("callers hear spoken text instead of recordings" in line for line in server.output)
    assert answered.status_code == 200 and "<Response>" in answered.text

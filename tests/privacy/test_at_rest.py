"""At rest: GREETLINE_S3_SSE makes the bucket encrypt every object it is given (checked on a real SeaweedFS with
SSE-S3 keys), and voicemail files on disk stay readable by the service's user only."""

import os
import secrets
from pathlib import Path

import pytest
from pydantic import ValidationError

from audio.s3_objects import encryption
from ivr.audio_stores import storage
from ivr.settings import Settings
from tests.fakes.twilio_api import voicemail_mp3
from tests.seaweedfs import running_seaweedfs

SID = "RE" + "5" * 32


@pytest.mark.parametrize(
    ("kind", "key", "arguments"),
    [
        (None, None, {}),
        ("AES256", None, {"ServerSideEncryption": "AES256"}),
        (
            "aws:kms",
            "arn:aws:kms:eu-west-1:1:key/k",
            {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "arn:aws:kms:eu-west-1:1:key/k"},
        ),
    ],
)
def test_each_kind_asks_putobject_for_its_encryption(
    kind: str | None, key: str | None, arguments: dict[str, str]
) -> None:
    assert encryption(kind, key) == arguments


def test_an_unknown_kind_or_kms_without_a_key_is_refused_with_the_fix() -> None:
    with pytest.raises(ValidationError, match="GREETLINE_S3_SSE must be AES256 or aws:kms"):
        Settings(s3_sse="aes")
    with pytest.raises(ValidationError, match="needs GREETLINE_S3_SSE_KMS_KEY_ID"):
        Settings(s3_sse="aws:kms")
    assert Settings(s3_sse="aws:kms", s3_sse_kms_key_id="alias/greetline").s3_sse == "aws:kms"


def test_objects_are_encrypted_by_the_bucket_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # SeaweedFS encrypts with SSE-S3 once it has a key-encryption key (its s3.sse.kek setting).
    monkeypatch.setenv("WEED_S3_SSE_KEK", secrets.token_hex(32))
    with running_seaweedfs(tmp_path / "seaweedfs") as store:
        for name, value in store.environment("practice").items():
            monkeypatch.setenv(name, value)
        storage(Settings(s3_sse="AES256")).voicemails.keep(SID, voicemail_mp3())
        storage(Settings()).voicemails.keep("RE" + "6" * 32, voicemail_mp3())
        client = store.client()
        encrypted = client.head_object(Bucket=store.bucket, Key=f"practice/voicemail/{SID}.mp3")
        plain = client.head_object(Bucket=store.bucket, Key=f"practice/voicemail/RE{'6' * 32}.mp3")
        assert (encrypted.get("ServerSideEncryption"), plain.get("ServerSideEncryption")) == ("AES256", None)
        assert storage(Settings()).voicemails.read(SID) == voicemail_mp3()  # read back as it was


def test_voicemail_files_on_disk_are_the_service_users_alone(tmp_path: Path) -> None:
    audio = storage(Settings(voicemail_dir=tmp_path / "voicemail")).voicemails
    previous = os.umask(0o000)  # even a permissive umask does not open them up
    try:
        audio.keep(SID, voicemail_mp3())
    finally:
        os.umask(previous)
    assert (tmp_path / "voicemail" / f"{SID}.mp3").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "voicemail").stat().st_mode & 0o777 == 0o700

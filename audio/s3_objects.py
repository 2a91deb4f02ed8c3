"""Objects in an S3-compatible bucket (AWS S3, MinIO, SeaweedFS, R2) through boto3.

boto3 reads the standard variables itself: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and
AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for a store that is not AWS. The bucket is private: nothing here makes
an object public; the web app serves greetings itself, from the bucket, under /media.
"""

from collections.abc import Callable, Generator
from typing import Any

from audio.objects import CHUNK_BYTES, Blob, StoreError

# A store that stops answering must not hold a call's webhook: boto3's defaults wait a minute and retry 4 times.
CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 10.0
MAX_ATTEMPTS = 3
# us-east-1 is the one region whose CreateBucket takes no LocationConstraint (S3 API reference, CreateBucket).
DEFAULT_REGION = "us-east-1"
_MISSING = {"404", "NoSuchKey", "NotFound"}


def s3_client() -> Any:
    """One client per process: boto3 clients are thread-safe; imported here, not when the web server starts."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
        retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
        # Path-style (endpoint/bucket/key) works on every S3-compatible store; virtual hosts need DNS per bucket.
        s3={"addressing_style": "path"},
    )
    return boto3.client("s3", config=config)


def _code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def encryption(kind: str | None, kms_key_id: str | None = None) -> dict[str, str]:
    """PutObject's server-side encryption arguments: none (the bucket's default), AES256 (SSE-S3) or aws:kms with
    the key (SSE-KMS)."""
    if kind is None:
        return {}
    if kind == "aws:kms" and kms_key_id:
        return {"ServerSideEncryption": kind, "SSEKMSKeyId": kms_key_id}
    return {"ServerSideEncryption": kind}


class S3Objects:
    def __init__(self, client: Any, bucket: str, prefix: str, *, encrypted: dict[str, str] | None = None) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        # Every write asks the store to encrypt the object at rest (`encryption`); reads need nothing more.
        self._encrypted = encrypted or {}
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._errors = (BotoCoreError, ClientError)

    def _key(self, key: str) -> str:
        return self._prefix + key

    def _call(self, operation: Callable[..., Any], *, missing_is_none: bool = False, **arguments: Any) -> Any:
        """One request; None for a missing object when asked, StoreError naming what to check otherwise."""
        try:
            return operation(Bucket=self._bucket, **arguments)
        except self._errors as error:
            if missing_is_none and _code(error) in _MISSING:
                return None
            raise self._failed(operation, error) from None

    def _failed(self, operation: Callable[..., Any], error: Exception) -> StoreError:
        return StoreError(
            f"the S3 store at {self._client.meta.endpoint_url} did not do {operation.__name__} in bucket "
            f"{self._bucket!r} ({error}); check GREETLINE_MEDIA_URL and AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, "
            "AWS_SECRET_ACCESS_KEY"
        )

    def ensure_bucket(self) -> bool:
        """Create the bucket if it does not exist yet; True if it was created."""
        try:
            self._client.head_bucket(Bucket=self._bucket)
            return False
        except self._errors as error:
            if _code(error) not in _MISSING | {"NoSuchBucket"}:
                raise self._failed(self._client.head_bucket, error) from None
        region = self._client.meta.region_name or DEFAULT_REGION
        where: dict[str, Any] = {}
        if region != DEFAULT_REGION:
            where["CreateBucketConfiguration"] = {"LocationConstraint": region}
        self._call(self._client.create_bucket, **where)
        return True

    def put(self, key: str, data: bytes, content_type: str) -> None:
        # One PutObject is atomic: a reader sees the old object, none, or the whole new one.
        arguments: dict[str, Any] = {"Key": self._key(key), "Body": data, "ContentType": content_type}
        self._call(self._client.put_object, **{**arguments, **self._encrypted})

    def get(self, key: str) -> bytes | None:
        blob = self.stream(key)
        return None if blob is None else b"".join(blob.chunks)

    def exists(self, key: str) -> bool:
        return self._call(self._client.head_object, missing_is_none=True, Key=self._key(key)) is not None

    def delete(self, key: str) -> None:
        self._call(self._client.delete_object, Key=self._key(key))

    def stream(self, key: str) -> Blob | None:
        found = self._call(self._client.get_object, missing_is_none=True, Key=self._key(key))
        if found is None:
            return None
        return Blob(int(found["ContentLength"]), _chunks(found["Body"]))


def _chunks(body: Any) -> Generator[bytes, None, None]:
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()

"""Objects in an S3-compatible bucket (AWS S3, MinIO, SeaweedFS, R2) through boto3.

boto3 reads the standard variables itself: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and
AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for a store that is not AWS. The bucket is private: nothing here makes
an object public; the web app serves greetings itself, from the bucket, under /media.
"""

from collections.abc import Generator
from typing import Any

from audio.objects import CHUNK_BYTES, Blob

# A store that stops answering must not hold a call's webhook: boto3's defaults wait a minute and retry 4 times.
CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 10.0
MAX_ATTEMPTS = 3


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


def _missing(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


class S3Objects:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        from botocore.exceptions import ClientError

        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._client_error = ClientError

    def _key(self, key: str) -> str:
        return self._prefix + key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        # One PutObject is atomic: a reader sees the old object, none, or the whole new one.
        self._client.put_object(Bucket=self._bucket, Key=self._key(key), Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes | None:
        blob = self.stream(key)
        return None if blob is None else b"".join(blob.chunks)

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self._bucket, Key=self._key(key))
        except self._client_error as error:
            if _missing(error):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=self._key(key))

    def stream(self, key: str) -> Blob | None:
        try:
            found = self._client.get_object(Bucket=self._bucket, Key=self._key(key))
        except self._client_error as error:
            if _missing(error):
                return None
            raise
        body = found["Body"]
        return Blob(int(found["ContentLength"]), _chunks(body))


def _chunks(body: Any) -> Generator[bytes, None, None]:
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()

"""Where audio bytes live: one small interface, a local directory or an S3-compatible bucket behind it.

Keys are relative, slash-separated names ("ab/abcdef…", "RE….mp3") checked by the stores that use them; an
object store only moves bytes. Every write is whole or not at all: a reader never sees half an object.
"""

import os
import tempfile
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

# Reading a greeting to a client in pieces of this size keeps a five-minute WAV (2.4 MB) out of memory.
CHUNK_BYTES = 64 * 1024


class StoreError(Exception):
    """The object store did not answer, or refused; the message says what to check."""


@dataclass(frozen=True)
class Blob:
    """An object being read: its size (for Content-Length) and its bytes in pieces (close() to stop early)."""

    size: int
    chunks: Generator[bytes, None, None]


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def stream(self, key: str) -> Blob | None: ...


class LocalObjects:
    """Objects as files under `root`. `private`: directories 0700 and files 0600 (voicemail is medical data)."""

    def __init__(self, root: Path, *, private: bool = False) -> None:
        self.root = Path(root)
        self._private = private

    def path_of(self, key: str) -> Path:
        if key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"{key!r} is not a relative object key")
        return self.root / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path_of(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if self._private else 0o777)
        # Write beside the target and rename: a reader never sees half a file, even if we crash mid-write.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o600 if self._private else 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self.path_of(key).read_bytes()
        except FileNotFoundError:
            return None

    def exists(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)

    def stream(self, key: str) -> Blob | None:
        try:
            file = self.path_of(key).open("rb")
        except FileNotFoundError:
            return None
        return Blob(os.fstat(file.fileno()).st_size, _read_in_chunks(file))


def _read_in_chunks(file: BinaryIO) -> Generator[bytes, None, None]:
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk

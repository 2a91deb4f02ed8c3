"""Uploaded recordings become stored greetings here, and only here: the API, the admin page and `apply`
(recordings a document names by file, `greeting: {file: welkom.m4a}`) all come through `store_recording`.

A document keeps the file name for people and gains the stored recording's id (`media:`) for the call flow.
The audio code (numpy, ffmpeg) is imported on the first upload, not when the web server starts.
"""

import threading
from pathlib import Path
from typing import Literal

from audio.errors import AudioError
from audio.media import MediaStore
from audio.report import NormalizationReport
from audio.targets import MAX_UPLOAD_BYTES
from ivr.document.codes import Code
from ivr.document.model import BusinessDocument, Greeting
from ivr.errors import BusyError, DocumentError, Problem

__all__ = ["MAX_UPLOAD_BYTES", "UPLOAD_SLOTS", "attach_uploads", "store_recording"]

Kind = Literal["welcome", "info", "other"]

# Decodes running at once in this process. Each holds at most about 60 MB (the upload, ffmpeg, the 8 kHz
# signal: see docs/benchmarks.md), so four stay within the server's memory budget (issue 8: 300 MB); more
# would only queue for the same two CPU cores.
MAX_PARALLEL_DECODES = 4
# A five-minute recording normalises in about a second; asking again after a few is enough.
RETRY_AFTER_S = 5
UPLOAD_SLOTS = threading.BoundedSemaphore(MAX_PARALLEL_DECODES)


def store_recording(data: bytes, media: MediaStore, kind: Kind) -> tuple[str, NormalizationReport]:
    """Normalise an uploaded recording and store it; returns its media id and what normalising did.

    Raises AudioError for a file we refuse, BusyError when MAX_PARALLEL_DECODES uploads are being normalised
    already (the caller answers "try again later").
    """
    if not UPLOAD_SLOTS.acquire(blocking=False):
        raise BusyError(
            f"{MAX_PARALLEL_DECODES} recordings are being processed right now; upload again in {RETRY_AFTER_S} seconds",
            retry_after_s=RETRY_AFTER_S,
        )
    try:
        from audio.normalize import normalize_greeting

        normalised = normalize_greeting(data, kind=kind)
        return media.save(normalised), normalised.report
    finally:
        UPLOAD_SLOTS.release()


def _stored(
    greeting: Greeting | None,
    where: str,
    kind: Kind,
    base_dir: Path,
    media: MediaStore,
    problems: list[Problem],
    notes: list[Problem],
) -> Greeting | None:
    if greeting is None or greeting.file is None:
        return greeting
    path = (base_dir / greeting.file).resolve()
    try:
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            mb = MAX_UPLOAD_BYTES // 2**20
            message = f"{greeting.file} is larger than {mb} MB; export it shorter or compressed"
            problems.append(Problem(Code.FILE_TOO_LARGE, f"{where}.file", message, {"file": greeting.file, "mb": mb}))
            return greeting
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot read {greeting.file} ({error.strerror}); the path is relative to the document"
        problems.append(Problem(Code.FILE_UNREADABLE, f"{where}.file", message, {"file": greeting.file}))
        return greeting
    try:
        media_id, report = store_recording(data, media, kind)
    except AudioError as error:
        values = {**error.values, "file": greeting.file}
        problems.append(Problem(error.code, f"{where}.file", f"{greeting.file}: {error}", values))
        return greeting
    except BusyError as error:
        values = {"file": greeting.file, "seconds": error.retry_after_s}
        problems.append(Problem(Code.BUSY, f"{where}.file", f"{greeting.file}: {error}", values))
        return greeting
    notes += [
        Problem(code, f"{where}.file", message, {**values, "file": greeting.file})
        for code, message, values in zip(report.warning_codes, report.warnings, report.warning_values, strict=True)
    ]
    return greeting.model_copy(update={"media": media_id})


def attach_uploads(
    document: BusinessDocument, base_dir: Path, media: MediaStore
) -> tuple[BusinessDocument, list[Problem]]:
    """Normalise every file a document names; any refused file refuses the document. Returns advice too (the
    normalising warnings by code, `where` the document's key)."""
    problems: list[Problem] = []
    notes: list[Problem] = []

    def stored(greeting: Greeting | None, where: str, kind: Kind) -> Greeting | None:
        return _stored(greeting, where, kind, base_dir, media, problems, notes)

    update: dict[str, object] = {
        "greeting": stored(document.greeting, "greeting", "welcome"),
        "info": stored(document.info, "info", "info"),
    }
    if document.closed is not None:
        update["closed"] = document.closed.model_copy(
            update={
                "greeting": stored(document.closed.greeting, "closed.greeting", "other"),
                "holiday": stored(document.closed.holiday, "closed.holiday", "other"),
            }
        )
    update["periods"] = [
        period.model_copy(update={"greeting": stored(period.greeting, f"periods[{index}].greeting", "other")})
        for index, period in enumerate(document.periods)
    ]
    if problems:
        raise DocumentError(problems)
    # Only what the document set: an unset key must stay unset, so export gives back what the user wrote.
    changed = {key: value for key, value in update.items() if key in document.model_fields_set}
    return document.model_copy(update=changed), notes

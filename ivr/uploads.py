"""Recordings a document names by file (`greeting: {file: welkom.m4a}`): normalised and stored on apply.

The document keeps the file name for people and gains the stored recording's id (`media:`) for the call flow.
"""

from pathlib import Path
from typing import Literal

from audio.errors import AudioError
from audio.media import MediaStore
from audio.normalize import normalize_greeting
from ivr.document.model import BusinessDocument, Greeting
from ivr.errors import DocumentError

# Uploads larger than this are refused before decoding: minutes of studio-quality audio fit well within it.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

Kind = Literal["welcome", "info", "other"]


def _stored(
    greeting: Greeting | None,
    where: str,
    kind: Kind,
    base_dir: Path,
    media: MediaStore,
    problems: list[str],
    notes: list[str],
) -> Greeting | None:
    if greeting is None or greeting.file is None:
        return greeting
    path = (base_dir / greeting.file).resolve()
    try:
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            problems.append(
                f"{where}.file: {greeting.file} is larger than {MAX_UPLOAD_BYTES // 2**20} MB; "
                "export it shorter or compressed"
            )
            return greeting
        data = path.read_bytes()
    except OSError as error:
        problems.append(
            f"{where}.file: cannot read {greeting.file} ({error.strerror}); the path is relative to the document"
        )
        return greeting
    try:
        normalised = normalize_greeting(data, kind=kind)
    except AudioError as error:
        problems.append(f"{where}.file: {greeting.file}: {error}")
        return greeting
    notes += [f"{where}.file: {warning}" for warning in normalised.report.warnings]
    return greeting.model_copy(update={"media": media.save(normalised)})


def attach_uploads(document: BusinessDocument, base_dir: Path, media: MediaStore) -> tuple[BusinessDocument, list[str]]:
    """Normalise every file a document names; any refused file refuses the document. Returns warnings too."""
    problems: list[str] = []
    notes: list[str] = []

    def stored(greeting: Greeting | None, where: str, kind: Kind) -> Greeting | None:
        return _stored(greeting, where, kind, base_dir, media, problems, notes)

    update: dict[str, object] = {
        "greeting": stored(document.greeting, "greeting", "welcome"),
        "info": stored(document.info, "info", "info"),
    }
    if document.closed is not None:
        update["closed"] = document.closed.model_copy(
            update={"greeting": stored(document.closed.greeting, "closed.greeting", "other")}
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

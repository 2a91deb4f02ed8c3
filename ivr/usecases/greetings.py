"""A business's recorded greetings: upload one (and make it the welcome), make one the welcome or another message,
delete one.

Normalising a recording is slow (ffmpeg, up to a second for five minutes of audio) and runs before the
transaction opens, in the caller's thread: the CLI's, or a worker thread of the web server (the routes are plain
`def`, which FastAPI runs in its thread pool), never the event loop. The library row and the document change are
then written in one transaction, checked with the new recording's measured length: a refusal leaves neither.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from audio.media import MediaStore
from ivr.errors import ConflictError, Problem
from ivr.routing.watch import remember_routing
from ivr.store import businesses, library
from ivr.store.database import Database
from ivr.usecases.documents import Saved
from ivr.usecases.editing import change_parts_in
from ivr.usecases.uploads import store_recording


@dataclass(frozen=True)
class Uploaded:
    greeting: library.GreetingRecording
    # The document saved with the recording as its welcome; None when the upload only joined the library.
    welcome: Saved | None
    # What normalising advises about the recording (e.g. clipped), by audio.errors.AudioCode with its values and
    # the English line (`where` is the file's name): each face words them in its reader's language.
    notes: list[Problem]


def _as_welcome(
    session: Session, business_id: int, file_name: str, media_id: str, duration_s: float, now: datetime, by: str
) -> Saved:
    # The recording's length as measured, not estimated from a text: it is what callers wait through.
    part = {"greeting": {"file": file_name, "media": media_id}}
    return change_parts_in(session, business_id, part, now, by, measured_s={media_id: duration_s})


def upload_greeting(
    database: Database,
    media: MediaStore,
    business_id: int,
    data: bytes,
    file_name: str,
    now: datetime,
    *,
    make_welcome: bool,
    by: str = "",
) -> Uploaded:
    """Normalise and store an uploaded recording, add it to the business's library and, with `make_welcome`, make
    it the welcome callers hear.

    Raises AudioError for a file we refuse, BusyError when enough recordings are being normalised already,
    DocumentError when the checker refuses the document with this welcome (e.g. it delays the emergency option
    too long), NotFoundError for an unknown business; on any of them nothing is stored in the database.
    """
    media_id, report = store_recording(data, media, "welcome")
    name = file_name[: library.FILE_NAME_CHARS]
    with database.transaction() as session:
        # The document first: on SQLite the write lock is taken by the first write, so not held while the checker
        # walks every path a caller can take.
        saved = _as_welcome(session, business_id, name, media_id, report.duration_s, now, by) if make_welcome else None
        item = library.add_greeting(
            session,
            business_id=business_id,
            media_id=media_id,
            file_name=name,
            duration_s=report.duration_s,
            report=report.to_dict(),
            now=now,
        )
    if saved is not None:
        remember_routing(database, saved.stored)
    notes = [
        Problem(code, name, message, values)
        for code, message, values in zip(report.warning_codes, report.warnings, report.warning_values, strict=True)
    ]
    return Uploaded(item, saved, notes)


# What else an uploaded recording can be, by the document's path of each greeting: the information message after
# the welcome, the message outside opening hours, the message on a public holiday that closes the business.
RECORDING_USES = {"info": "info", "closed": "closed.greeting", "holiday": "closed.holiday"}


def recording_parts(item: library.GreetingRecording, use: str) -> dict[str, str]:
    """The change that makes a library recording the `use` message (RECORDING_USES). Its text stays: it is what is
    spoken when the recording cannot be played, and what the page and the transcript show."""
    path = RECORDING_USES[use]
    return {f"{path}.file": item.file_name, f"{path}.media": item.media_id}


def media_in_use(document: dict[str, Any]) -> set[str]:
    """Every recording the document plays: the welcome, the information, the closed and holiday messages and the
    periods' greetings."""
    closed = document.get("closed") or {}
    greetings = [document.get("greeting"), document.get("info"), closed.get("greeting"), closed.get("holiday")]
    greetings += [period.get("greeting") for period in document.get("periods", [])]
    return {greeting["media"] for greeting in greetings if greeting and greeting.get("media")}


def make_welcome_in(
    session: Session, business_id: int, greeting_id: int, now: datetime, by: str = "", if_revision: int | None = None
) -> Uploaded:
    """`make_welcome` inside the caller's transaction; the caller remembers the routing once it is committed. Only
    over revision `if_revision` of the document when one is given (StaleRevisionError otherwise)."""
    if if_revision is not None:
        businesses.hold_revision(session, business_id, if_revision)
    item = library.greeting(session, business_id, greeting_id)
    saved = _as_welcome(session, business_id, item.file_name, item.media_id, item.duration_s, now, by)
    return Uploaded(item, saved, [])


def make_welcome(database: Database, business_id: int, greeting_id: int, now: datetime, by: str = "") -> Uploaded:
    """Make a recording of the library the welcome callers hear; refused as an upload with it would be."""
    with database.transaction() as session:
        made = make_welcome_in(session, business_id, greeting_id, now, by)
    assert made.welcome is not None
    remember_routing(database, made.welcome.stored)
    return made


def delete_greeting_in(session: Session, business_id: int, greeting_id: int) -> None:
    """Remove a recording from the library; one callers hear (the welcome, or another message) is kept
    (ConflictError)."""
    item = library.greeting(session, business_id, greeting_id)
    if item.media_id in media_in_use(businesses.get(session, business_id).document):
        raise ConflictError("this greeting is in use; make another one active first")
    library.delete_greeting(session, business_id, greeting_id)


def delete_greeting(database: Database, business_id: int, greeting_id: int) -> None:
    with database.transaction() as session:
        delete_greeting_in(session, business_id, greeting_id)

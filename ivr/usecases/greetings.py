"""A business's recorded greetings: upload one (and make it the welcome), make one the welcome, delete one.

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
from ivr.administration import change_parts_in
from ivr.applying import Saved
from ivr.errors import ConflictError
from ivr.routing import remember_routing
from ivr.store import businesses, library
from ivr.store.database import Database
from ivr.uploads import store_recording


@dataclass(frozen=True)
class Uploaded:
    greeting: library.GreetingRecording
    # The document saved with the recording as its welcome; None when the upload only joined the library.
    welcome: Saved | None
    # What normalising advises about the recording (e.g. clipped), in English; the page rewords it.
    notes: list[str]


def _welcome_part(item: library.GreetingRecording) -> dict[str, Any]:
    return {"greeting": {"file": item.file_name, "media": item.media_id}}


def _as_welcome(session: Session, item: library.GreetingRecording, now: datetime, by: str) -> Saved:
    # The recording's length as measured, not estimated from a text: it is what callers wait through.
    measured_s = {item.media_id: item.duration_s}
    return change_parts_in(session, item.business_id, _welcome_part(item), now, by, measured_s)


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
    with database.transaction() as session:
        item = library.add_greeting(
            session,
            business_id=business_id,
            media_id=media_id,
            file_name=file_name,
            duration_s=report.duration_s,
            report=report.to_dict(),
            now=now,
        )
        saved = _as_welcome(session, item, now, by) if make_welcome else None
    if saved is not None:
        remember_routing(database, saved.stored)
    return Uploaded(item, saved, list(report.warnings))


def make_welcome(database: Database, business_id: int, greeting_id: int, now: datetime, by: str = "") -> Uploaded:
    """Make a recording of the library the welcome callers hear; refused as an upload with it would be."""
    with database.transaction() as session:
        item = library.greeting(session, business_id, greeting_id)
        saved = _as_welcome(session, item, now, by)
    remember_routing(database, saved.stored)
    return Uploaded(item, saved, [])


def delete_greeting(database: Database, business_id: int, greeting_id: int) -> None:
    """Remove a recording from the library; the welcome in use is kept (ConflictError)."""
    with database.transaction() as session:
        item = library.greeting(session, business_id, greeting_id)
        active = (businesses.get(session, business_id).document.get("greeting") or {}).get("media")
        if item.media_id == active:
            raise ConflictError("this greeting is the active welcome; make another one active first")
        library.delete_greeting(session, business_id, greeting_id)

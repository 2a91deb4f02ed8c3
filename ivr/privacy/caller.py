"""One caller's data, on request (AVG art. 15 and 17): everything stored about a number at one business, handed
over as a ZIP (JSON and the MP3s) or erased everywhere, each act in the business's audit trail.

Called alike by `greetline caller export|erase` and the admin page's privacy form.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime

from ivr.document.phones import read_number
from ivr.errors import InputError, NotFoundError
from ivr.privacy.deleters import DELETERS, Deleter, Holders
from ivr.store import audit, personal_data
from ivr.store.personal_data import Scope

EXPORT_JSON = "caller.json"
# Shown in the trail instead of the number: enough to tell two requests apart, not enough to call anyone.
SHOWN_DIGITS = 2


class NothingStored(NotFoundError):
    """A number the business stores nothing about: nothing to hand over or erase (and nothing was changed)."""

    def __init__(self, caller: str) -> None:
        self.caller = caller
        super().__init__(f"nothing is stored about {caller} at this business: no calls, messages or notes")


@dataclass(frozen=True)
class Request:
    """Who asks, from where (an address for a request over HTTP), about whom, when."""

    business_id: int
    caller: str
    actor: str
    at: datetime
    address: str | None = None


def caller_number(text: str, country: str | None) -> str:
    """The caller's number in E.164, as staff write it (nationally in the business's country too)."""
    try:
        return read_number(text, country)
    except ValueError as error:
        raise InputError(f"--caller: {error}") from None


def masked(number: str) -> str:
    """+31611112222 → +31*******22."""
    return number[:3] + "*" * max(len(number) - 3 - SHOWN_DIGITS, 0) + number[-SHOWN_DIGITS:]


def export_caller(holders: Holders, request: Request) -> bytes:
    """A ZIP: caller.json (every row, as stored) and voicemails/RE….mp3 (our copy, or Twilio's while it has one)."""
    with holders.database.transaction() as session:
        scope = Scope(request.business_id, caller=request.caller)
        found = personal_data.everything_about(session, scope)
        twilio_urls = {audio.recording_sid: audio.url for audio in personal_data.voicemail_audio(session, scope)}
    if not any(found.values()):
        raise NothingStored(request.caller)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {"caller": request.caller, "exported_at": request.at.isoformat(), **found}
        archive.writestr(EXPORT_JSON, json.dumps(document, indent=2, ensure_ascii=False))
        for voicemail in found["voicemails"]:
            sid = str(voicemail["recording_sid"])
            audio = holders.voicemails.read(sid) or _twilio_copy(holders, twilio_urls[sid])
            if audio is not None:
                archive.writestr(f"voicemails/{sid}.mp3", audio)
    with holders.database.transaction() as session:
        counts = {kind: len(rows) for kind, rows in found.items()}
        audit.record(
            session,
            business_id=request.business_id,
            actor=request.actor,
            action="caller_exported",
            at=request.at,
            address=request.address,
            details={"caller": masked(request.caller), "counts": counts},
        )
    return buffer.getvalue()


def _twilio_copy(holders: Holders, url: str) -> bytes | None:
    """A message whose audio we never fetched (no worker ran yet): Twilio's copy, while it has one."""
    if holders.twilio is None:
        return None
    try:
        return holders.twilio.fetch(url)
    except Exception:  # gone from Twilio too: the export says what is stored, and there is no audio to hand over
        return None


def erase_caller(holders: Holders, request: Request, deleters: tuple[Deleter, ...] = DELETERS) -> dict[str, int]:
    """Every row, file, object and Twilio copy about the caller at this business; returns the counts per kind."""
    scope = Scope(request.business_id, caller=request.caller)
    with holders.database.transaction() as session:
        if not any(personal_data.everything_about(session, scope).values()):
            raise NothingStored(request.caller)
    counts = {deleter.kind: deleter.delete(holders, scope) for deleter in deleters}
    with holders.database.transaction() as session:
        audit.record(
            session,
            business_id=request.business_id,
            actor=request.actor,
            action="caller_erased",
            at=request.at,
            address=request.address,
            details={"caller": masked(request.caller), "counts": counts},
        )
    return counts

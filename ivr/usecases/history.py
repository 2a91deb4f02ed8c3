"""Going back in a business's history, two ways said apart: undo one change (what it touched goes back to what it
was before it, every later change kept: ivr.document.undo) or restore a whole version (everything as it was
then, later changes gone). Both are first proposed (what the document would become, to show and confirm), then
saved through `apply_in` like any change: checked, and a new version that can be undone in turn."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from ivr.document.undo import undone
from ivr.errors import NotFoundError
from ivr.store import businesses, history
from ivr.usecases.documents import Saved, apply_in

Way = Literal["undo", "restore"]


@dataclass(frozen=True)
class Proposal:
    way: Way
    version: history.Version
    now: dict[str, Any]  # the document as it is
    becomes: dict[str, Any]  # the document it would be


def proposal(session: Session, business_id: int, version_id: int, way: Way, *, for_update: bool = False) -> Proposal:
    """What undoing version `version_id`'s change, or restoring that version, would make of the document.
    NotFoundError for another business's version, and for undoing the first version (nothing came before it).
    `for_update`: hold the business's row until the transaction ends (a change saved meanwhile is not lost)."""
    version = history.version(session, business_id, version_id)
    now = businesses.get(session, business_id, for_update=for_update).document
    if way == "restore":
        return Proposal(way, version, now, version.document)
    start = history.before(session, business_id, version_id)
    if start is None:
        raise NotFoundError(
            f"version {version_id} of business {business_id} is the first; it changed nothing before it"
        )
    return Proposal(way, version, now, undone(start.document, version.document, now))


def go_back_in(session: Session, business_id: int, version_id: int, way: Way, now: datetime, by: str = "") -> Saved:
    """Undo one change or restore a version, inside the caller's transaction; refused (DocumentError) as any
    document the checker refuses."""
    proposed = proposal(session, business_id, version_id, way, for_update=True)
    return apply_in(session, proposed.becomes, now, business_id=business_id, by=by)

"""What staff change about a business, through the API and the admin page: parts of its document, through the
same function as `greetline apply` (ivr.usecases.documents.apply_in: the document model, the checker with measured
lengths, the store, in one transaction); a change is heard from the next call."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ivr.callflow.model import Country
from ivr.callflow.ringing import RING_CYCLE_S, dial_timeout_s, ringing_s
from ivr.document.codes import Code
from ivr.document.fields import with_fields
from ivr.document.lint import Finding
from ivr.document.model import BusinessDocument
from ivr.document.phones import MOBILE_VOICEMAIL_AFTER_S, is_mobile
from ivr.errors import DocumentError, Problem, Value
from ivr.routing.watch import remember_routing
from ivr.store import businesses
from ivr.store.database import Database
from ivr.usecases.documents import Saved, apply_document, apply_in, check_data
from ivr.usecases.measured import stored_durations_in

# The parts of a document the API changes on their own.
PARTS = (
    "greeting",
    "info",
    "menu",
    "rings",
    "operators",
    "confirm",
    "ring",
    "overflow",
    "hours",
    "holidays",
    "region",
    "closed",
    "periods",
    "instructions",
    "missed_calls",
    "daily_summary",
    "monthly_report",
    "referral",
    "callback",
    "text_back",
    "blocked",
    "texts",
    "calendar",
)


# The one answer a business gets for any number it may not add, whether or not another business has it.
NUMBER_UNAVAILABLE = (
    "a number in this configuration is not available to this business; keep the numbers it has, "
    "or contact support to add a number"
)


def checked(
    data: dict[str, Any], durations_s: Mapping[str, float] | None = None, today: date | None = None
) -> tuple[BusinessDocument, list[Finding]]:
    """Every problem at once (validation and checker); durations as measured from the business's audio."""
    return check_data(data, durations_s, today).accepted()


def replace_document(database: Database, business_id: int, data: dict[str, Any], now: datetime, by: str = "") -> Saved:
    """A known business's whole document replaced (the API's PUT, a version restored): `apply_document`."""
    return apply_document(database, data, now, business_id=business_id, by=by)


def _merged(session: Session, business_id: int, parts: dict[str, Any], *, for_update: bool) -> dict[str, Any]:
    """The stored document with the parts set: a part whole ("overflow"), or a key in one ("overflow.dial"); what
    the parts do not name stays as stored (ivr.document.fields)."""
    named = {path.partition(".")[0] for path in parts}
    # A key no document has is a misspelling ("ringz"), worded as the document's checker words it; a real key that
    # is not changed on its own ("menu") needs the whole document.
    unknown = [
        Problem(Code.UNKNOWN_KEY, key, "is not a known key; check its spelling or remove it", {"key": key})
        for key in sorted(named - set(BusinessDocument.model_fields))
    ]
    whole = [
        Problem(Code.PART_NOT_CHANGEABLE, key, "cannot be changed on its own here; replace the whole configuration")
        for key in sorted((named & set(BusinessDocument.model_fields)) - set(PARTS))
    ]
    if unknown or whole:
        raise DocumentError([*unknown, *whole])
    return with_fields(businesses.get(session, business_id, for_update=for_update).document, parts)


def change_parts_in(
    session: Session,
    business_id: int,
    parts: dict[str, Any],
    now: datetime,
    by: str = "",
    measured_s: Mapping[str, float] | None = None,
    if_revision: int | None = None,
) -> Saved:
    """`change_parts` inside the caller's transaction (an upload adds its recording in the same one); only over
    revision `if_revision` when one is given (StaleRevisionError otherwise)."""
    if if_revision is not None:
        businesses.hold_revision(session, business_id, if_revision)
    merged = _merged(session, business_id, parts, for_update=True)
    return apply_in(session, merged, now, business_id=business_id, by=by, measured_s=measured_s)


def change_parts(
    database: Database,
    business_id: int,
    parts: dict[str, Any],
    now: datetime,
    by: str = "",
    if_revision: int | None = None,
) -> Saved:
    """Parts changed on their own (the API's PATCH, every admin form): read, merged, checked and written in one
    transaction, so a change saved meanwhile is never checked against a document that is no longer there."""
    with database.transaction() as session:
        saved = change_parts_in(session, business_id, parts, now, by, if_revision=if_revision)
    remember_routing(database, saved.stored)
    return saved


def draft_parts_in(
    session: Session, business_id: int, parts: dict[str, Any], now: datetime
) -> tuple[BusinessDocument, list[Finding]]:
    """The document a change would make and the checker's findings, nothing saved: DocumentError as on saving."""
    data = _merged(session, business_id, parts, for_update=False)
    language = data["language"] if isinstance(data.get("language"), str) else "nl"
    durations_s = stored_durations_in(session, business_id, language)
    return checked(data, durations_s, now.date())


@dataclass(frozen=True)
class RingMeaning:
    rings: int
    country: str
    ring_cycle_s: int
    dial_timeout_s: int
    ringing_s: int
    warnings: list[Problem]


def ring_meaning(document: BusinessDocument) -> RingMeaning:
    country = Country(document.country)
    timeout_s = dial_timeout_s(document.rings, country)
    heard_s = ringing_s(timeout_s)
    warnings: list[Problem] = []
    if document.rings > 5:
        message = f"{document.rings} rings: most callers hang up after 5 or 6; use 5 or fewer"
        warnings.append(Problem(Code.MANY_RINGS, "rings", message, {"rings": document.rings, "most": 5}))
    mobiles = [number for number in document.operators if is_mobile(number)]
    if mobiles and heard_s >= MOBILE_VOICEMAIL_AFTER_S:
        fewer = max(1, (MOBILE_VOICEMAIL_AFTER_S - 1) // RING_CYCLE_S[country])
        message = (
            f"{', '.join(mobiles)} is a mobile: its own voicemail answers after about "
            f"{MOBILE_VOICEMAIL_AFTER_S} s and would take the call before it can overflow; "
            f"use {fewer} rings or fewer, or switch off that phone's voicemail"
        )
        values: dict[str, Value] = {
            "numbers": ", ".join(mobiles),
            "rings": fewer,
            "voicemail_after_s": MOBILE_VOICEMAIL_AFTER_S,
        }
        warnings.append(Problem(Code.MOBILE_RINGS_TOO_LONG, "rings", message, values))
    return RingMeaning(document.rings, country.value, RING_CYCLE_S[country], timeout_s, heard_s, warnings)

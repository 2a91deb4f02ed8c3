"""What staff change about a business, through the API (and later the admin page): the same document model,
the same validation and checker as `greetline apply`, the same store; a change is heard from the next call."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ivr.applying import check_data
from ivr.callflow.model import Country
from ivr.callflow.ringing import RING_CYCLE_S, dial_timeout_s, ringing_s
from ivr.document.lint import Finding
from ivr.document.load import document_data
from ivr.document.model import BusinessDocument
from ivr.document.phones import MOBILE_VOICEMAIL_AFTER_S, is_mobile
from ivr.errors import DocumentError
from ivr.measured import stored_durations_in
from ivr.routing import remember_routing
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database

# The parts of a document the API changes on their own.
PARTS = (
    "greeting",
    "info",
    "menu",
    "rings",
    "operators",
    "ring",
    "overflow",
    "hours",
    "holidays",
    "closed",
    "periods",
    "instructions",
    "missed_calls",
    "daily_summary",
)


# The one answer a business gets for any number it may not add, whether or not another business has it.
NUMBER_UNAVAILABLE = (
    "a number in this configuration is not available to this business; keep the numbers it has, "
    "or contact support to add a number"
)


@dataclass(frozen=True)
class Saved:
    stored: StoredBusiness
    document: BusinessDocument
    warnings: list[Finding]


def checked(
    data: dict[str, Any], durations_s: Mapping[str, float] | None = None, today: date | None = None
) -> tuple[BusinessDocument, list[Finding]]:
    """Every problem at once (validation and checker); durations as measured from the business's audio."""
    return check_data(data, durations_s, today).accepted()


def _language(data: dict[str, Any]) -> str:
    return data["language"] if isinstance(data.get("language"), str) else "nl"


def replace_in(
    session: Session,
    business_id: int,
    data: dict[str, Any],
    now: datetime,
    by: str = "",
    measured_s: Mapping[str, float] | None = None,
) -> Saved:
    """Check and save inside the caller's transaction: the checker hears what the business's calls play, as
    measured (its rendered texts and recordings, plus `measured_s`: a recording not stored yet). `by`: who made the
    change, for the history (a staff member's e-mail address; empty for the API)."""
    durations_s = {**stored_durations_in(session, business_id, _language(data)), **(measured_s or {})}
    document, warnings = checked(data, durations_s, now.date())
    stored = businesses.replace(
        session, business_id, document.business, list(document.numbers), document_data(document), now, by
    )
    return Saved(stored, document, warnings)


def replace_document(database: Database, business_id: int, data: dict[str, Any], now: datetime, by: str = "") -> Saved:
    """The whole document replaced, checked and written in one transaction."""
    with database.transaction() as session:
        saved = replace_in(session, business_id, data, now, by)
    remember_routing(database, saved.stored)
    return saved


def _merged(session: Session, business_id: int, parts: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise DocumentError(
            [f"{key}: cannot be changed on its own here; replace the whole configuration" for key in unknown]
        )
    merged = {**businesses.get(session, business_id).document, **parts}
    return {key: value for key, value in merged.items() if value is not None}


def change_parts_in(
    session: Session,
    business_id: int,
    parts: dict[str, Any],
    now: datetime,
    by: str = "",
    measured_s: Mapping[str, float] | None = None,
) -> Saved:
    """`change_parts` inside the caller's transaction (an upload adds its recording in the same one)."""
    return replace_in(session, business_id, _merged(session, business_id, parts), now, by, measured_s)


def change_parts(database: Database, business_id: int, parts: dict[str, Any], now: datetime, by: str = "") -> Saved:
    """Parts changed on their own (the API's PATCH, every admin form): read, merged, checked and written in one
    transaction, so a change saved meanwhile is never checked against a document that is no longer there."""
    with database.transaction() as session:
        saved = change_parts_in(session, business_id, parts, now, by)
    remember_routing(database, saved.stored)
    return saved


def draft_parts(
    database: Database, business_id: int, parts: dict[str, Any], now: datetime
) -> tuple[BusinessDocument, list[Finding]]:
    """The document a change would make and the checker's findings, nothing saved: DocumentError as on saving."""
    with database.transaction() as session:
        data = _merged(session, business_id, parts)
        durations_s = stored_durations_in(session, business_id, _language(data))
    return checked(data, durations_s, now.date())


@dataclass(frozen=True)
class RingMeaning:
    rings: int
    country: str
    ring_cycle_s: int
    dial_timeout_s: int
    ringing_s: int
    warnings: list[str]


def ring_meaning(document: BusinessDocument) -> RingMeaning:
    country = Country(document.country)
    timeout_s = dial_timeout_s(document.rings, country)
    heard_s = ringing_s(timeout_s)
    warnings: list[str] = []
    if document.rings > 5:
        warnings.append(f"{document.rings} rings: most callers hang up after 5 or 6; use 5 or fewer")
    mobiles = [number for number in document.operators if is_mobile(number)]
    if mobiles and heard_s >= MOBILE_VOICEMAIL_AFTER_S:
        warnings.append(
            f"{', '.join(mobiles)} is a mobile: its own voicemail answers after about "
            f"{MOBILE_VOICEMAIL_AFTER_S} s and would take the call before it can overflow; "
            f"use {max(1, (MOBILE_VOICEMAIL_AFTER_S - 1) // RING_CYCLE_S[country])} rings or fewer, "
            "or switch off that phone's voicemail"
        )
    return RingMeaning(document.rings, country.value, RING_CYCLE_S[country], timeout_s, heard_s, warnings)

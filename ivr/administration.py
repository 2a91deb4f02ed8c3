"""What staff change about a business, through the API (and later the admin page): the same document model,
the same validation and checker as `greetline apply`, the same store; a change is heard from the next call."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ivr.applying import check_data
from ivr.callflow.model import Country
from ivr.callflow.ringing import RING_CYCLE_S, dial_timeout_s, ringing_s
from ivr.document.fields import with_fields
from ivr.document.lint import Finding
from ivr.document.load import document_data
from ivr.document.model import BusinessDocument
from ivr.document.phones import MOBILE_VOICEMAIL_AFTER_S, is_mobile
from ivr.errors import DocumentError
from ivr.measured import stored_durations
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


def replace_document(database: Database, business_id: int, data: dict[str, Any], now: datetime, by: str = "") -> Saved:
    """`by`: who made the change, for the history (a staff member's e-mail address; empty for the API)."""
    language = data.get("language", "nl") if isinstance(data.get("language"), str) else "nl"
    document, warnings = checked(data, stored_durations(database, business_id, language), now.date())
    with database.transaction() as session:
        stored = businesses.replace(
            session, business_id, document.business, list(document.numbers), document_data(document), now, by
        )
    remember_routing(database, stored)
    return Saved(stored, document, warnings)


def _merged(database: Database, business_id: int, parts: dict[str, Any]) -> dict[str, Any]:
    """The stored document with the parts set: a part whole ("overflow"), or a key in one ("overflow.dial"); what
    the parts do not name stays as stored (ivr.document.fields)."""
    unknown = sorted({path.partition(".")[0] for path in parts} - set(PARTS))
    if unknown:
        raise DocumentError(
            [f"{key}: cannot be changed on its own here; replace the whole configuration" for key in unknown]
        )
    with database.transaction() as session:
        current = businesses.get(session, business_id).document
    return with_fields(current, parts)


def change_parts(database: Database, business_id: int, parts: dict[str, Any], now: datetime, by: str = "") -> Saved:
    return replace_document(database, business_id, _merged(database, business_id, parts), now, by)


def draft_parts(
    database: Database, business_id: int, parts: dict[str, Any], now: datetime
) -> tuple[BusinessDocument, list[Finding]]:
    """The document a change would make and the checker's findings, nothing saved: DocumentError as on saving."""
    data = _merged(database, business_id, parts)
    language = data.get("language", "nl") if isinstance(data.get("language"), str) else "nl"
    return checked(data, stored_durations(database, business_id, language), now.date())


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

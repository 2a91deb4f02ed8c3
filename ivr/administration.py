"""What staff change about a business, through the API (and later the admin page): the same document model,
the same validation and checker as `greetline apply`, the same store; a change is heard from the next call."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ivr.applying import check_data
from ivr.callflow.model import Country
from ivr.callflow.ringing import RING_CYCLE_S, dial_timeout_s, ringing_s
from ivr.document.codes import Code
from ivr.document.lint import Finding
from ivr.document.load import document_data
from ivr.document.model import BusinessDocument
from ivr.document.phones import MOBILE_VOICEMAIL_AFTER_S, is_mobile
from ivr.errors import DocumentError, Problem, Value
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
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        message = "cannot be changed on its own here; replace the whole configuration"
        raise DocumentError(Problem(Code.PART_NOT_CHANGEABLE, key, message) for key in unknown)
    with database.transaction() as session:
        current = businesses.get(session, business_id).document
    merged = {**current, **parts}
    return {key: value for key, value in merged.items() if value is not None}


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

"""A business's audit trail: the acts a practice must be able to account for (issue 24).

One place writes it (`record`) and one reads it (`events`); every entry names an action from `ACTIONS`, so the
page and the API can say each in words and a typo is an error here, not a silent new kind.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ivr.store.access_tables import AuditEventRow

ACTIONS = frozenset(
    {
        "login",  # details: {}
        "login_failed",  # details: {"reason": ...}
        "logout",
        "password_changed",
        "password_reset",
        "password_reset_asked",
        "two_factor_enabled",
        "two_factor_disabled",
        "recovery_code_used",
        "voicemail_played",  # details: {"recording": id}
        "voicemail_downloaded",  # details: {"recording": id}
        "caller_exported",  # details: {"caller": masked number}
        "caller_erased",  # details: {"caller": masked number, "counts": {...}}
        "staff_added",  # details: {"email", "role"}
        "staff_removed",
        "role_changed",  # details: {"email", "from", "to"}
        "retention_run",  # details: {"counts": {...}}
    }
)
# The trail keeps itself two years (issue 24: "kept two years, its own retention").
KEPT_DAYS = 730


@dataclass(frozen=True)
class AuditEvent:
    id: int
    business_id: int | None
    at: datetime
    actor: str
    action: str
    address: str | None
    details: dict[str, Any]


def record(
    session: Session,
    *,
    business_id: int | None,
    actor: str,
    action: str,
    at: datetime,
    address: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Adds one entry in the caller's transaction, so an act and its entry are stored together or not at all."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to ivr.store.audit.ACTIONS")
    session.add(
        AuditEventRow(
            business_id=business_id, at=at, actor=actor, action=action, address=address, details=details or {}
        )
    )


def events(session: Session, business_id: int, *, limit: int = 100, before_id: int | None = None) -> list[AuditEvent]:
    """A business's entries, newest first; `before_id` pages on."""
    query = select(AuditEventRow).where(AuditEventRow.business_id == business_id)
    if before_id is not None:
        query = query.where(AuditEventRow.id < before_id)
    rows = session.scalars(query.order_by(AuditEventRow.id.desc()).limit(limit))
    return [AuditEvent(r.id, r.business_id, r.at, r.actor, r.action, r.address, dict(r.details)) for r in rows]


def forget_older_than(session: Session, cutoff: datetime) -> int:
    """Deletes entries from before `cutoff`; returns how many."""
    result = session.execute(delete(AuditEventRow).where(AuditEventRow.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)

"""The daily retention run: each business's expired calls, messages, transcripts and notes deleted everywhere,
the counts (never contents) in its audit trail, and the trail's own entries older than two years forgotten.

`expired_before` is the whole decision, pure; `run_retention` is the I/O around it, called by the worker's daily
job and by `greetline retention run` alike.
"""

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from ivr.document.retention import DEFAULT_RETENTION, Retention
from ivr.privacy.deleters import DELETERS, Deleter, Holders
from ivr.store import audit, businesses
from ivr.store.jobs import JobSpec
from ivr.store.personal_data import Scope

log = logging.getLogger("greetline.privacy")

RETENTION = "retention"
WORKER = "worker"
# The count of the platform's own entry: what the audit trail forgot of itself.
AUDIT_EVENTS = "audit_events"


def expired_before(days: int, now: datetime) -> datetime:
    """What was stored before this instant has been kept `days` days or more: it goes."""
    return now - timedelta(days=days)


def retention_of(document: Mapping[str, Any]) -> Retention:
    """A stored document's retention (validated when it was stored); a document without one keeps the defaults."""
    given = document.get("retention")
    return Retention.model_validate(given) if isinstance(given, Mapping) else DEFAULT_RETENTION


def retention_schedule(now: datetime) -> list[JobSpec]:
    """Once a UTC day, whatever the number of workers (the key makes repeats no-ops)."""
    return [JobSpec(f"{RETENTION}:{now.date().isoformat()}", RETENTION, {})]


def _run_for(holders: Holders, scope_of: Mapping[str, Scope], deleters: tuple[Deleter, ...]) -> dict[str, int]:
    return {deleter.kind: deleter.delete(holders, scope_of[deleter.kind]) for deleter in deleters}


def run_retention(
    holders: Holders, now: datetime, *, actor: str = WORKER, deleters: tuple[Deleter, ...] = DELETERS
) -> dict[int | None, dict[str, int]]:
    """Deletes what has expired for every business (and the calls to no business, with the defaults); returns the
    counts per business (None: the platform's)."""
    with holders.database.reading() as connection:
        # A few hundred documents decoded at a time, each kept only as its retention (10,000 businesses: issue 12).
        ids = sorted(businesses.revisions(connection))
        kept = {stored.id: retention_of(stored.document) for stored in businesses.documents_of(connection, ids)}
    counts: dict[int | None, dict[str, int]] = {}
    for business_id, retention in [*kept.items(), (None, DEFAULT_RETENTION)]:
        scopes = {d.kind: Scope(business_id, before=expired_before(d.days(retention), now)) for d in deleters}
        counts[business_id] = _run_for(holders, scopes, deleters)
    with holders.database.transaction() as session:
        counts[None][AUDIT_EVENTS] = audit.forget_older_than(session, expired_before(audit.KEPT_DAYS, now))
        for business_id, found in counts.items():
            audit.record(
                session, business_id=business_id, actor=actor, action="retention_run", at=now, details={"counts": found}
            )
    deleted = sum(sum(found.values()) for found in counts.values())
    log.info("retention run: deleted %d item(s) across %d business(es)", deleted, len(kept))
    return counts


class RetentionJob:
    """The worker's daily job."""

    def __init__(self, holders: Holders, clock: Callable[[], datetime]) -> None:
        self._holders = holders
        self._clock = clock

    def __call__(self, args: dict[str, object]) -> None:
        run_retention(self._holders, self._clock())

"""The versions of a business document, newest first: what changed, who changed it and when."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.tables import DocumentVersionRow


@dataclass(frozen=True)
class Version:
    id: int
    revision: int
    document: dict[str, Any]
    changed_by: str
    changed_at: datetime


def _version(row: DocumentVersionRow) -> Version:
    return Version(row.id, row.revision, row.document, row.changed_by, row.changed_at)


def record(session: Session, business_id: int, revision: int, document: dict[str, Any], by: str, now: datetime) -> None:
    session.add(
        DocumentVersionRow(business_id=business_id, revision=revision, document=document, changed_by=by, changed_at=now)
    )


def versions(session: Session, business_id: int, limit: int = 50) -> list[Version]:
    rows = session.scalars(
        select(DocumentVersionRow)
        .where(DocumentVersionRow.business_id == business_id)
        .order_by(DocumentVersionRow.id.desc())
        .limit(limit)
    )
    return [_version(row) for row in rows]


def version(session: Session, business_id: int, version_id: int) -> Version:
    row = session.get(DocumentVersionRow, version_id)
    if row is None or row.business_id != business_id:
        raise NotFoundError(f"no version {version_id} of business {business_id}")
    return _version(row)


def before(session: Session, business_id: int, version_id: int) -> Version | None:
    """The version just before `version_id`: what its change started from (None for the first)."""
    row = session.scalars(
        select(DocumentVersionRow)
        .where(DocumentVersionRow.business_id == business_id, DocumentVersionRow.id < version_id)
        .order_by(DocumentVersionRow.id.desc())
        .limit(1)
    ).first()
    return _version(row) if row is not None else None


def as_of(session: Session, business_id: int, moment: datetime) -> Version | None:
    """The version in force at `moment`: the last saved at or before it (None before the first, or for a business
    stored before versions were kept)."""
    row = session.scalars(
        select(DocumentVersionRow)
        .where(DocumentVersionRow.business_id == business_id, DocumentVersionRow.changed_at <= moment)
        .order_by(DocumentVersionRow.id.desc())
        .limit(1)
    ).first()
    return _version(row) if row is not None else None


def changed_during(session: Session, business_id: int, since: datetime, until: datetime) -> list[Version]:
    """The versions saved after `since` up to `until`, oldest first (a day's changes: a handful at most)."""
    rows = session.scalars(
        select(DocumentVersionRow)
        .where(
            DocumentVersionRow.business_id == business_id,
            DocumentVersionRow.changed_at > since,
            DocumentVersionRow.changed_at <= until,
        )
        .order_by(DocumentVersionRow.id)
    )
    return [_version(row) for row in rows]

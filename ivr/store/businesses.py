"""Storing business documents and finding a business by the number a caller dialled."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.orm import Session

from ivr.errors import ConflictError, NotFoundError
from ivr.store import history
from ivr.store.revisions import mark_changed
from ivr.store.tables import BusinessRow, NumberRow


@dataclass(frozen=True)
class StoredBusiness:
    id: int
    revision: int
    document: dict[str, Any]


def _stored(row: BusinessRow) -> StoredBusiness:
    return StoredBusiness(row.id, row.revision, row.document)


def find_by_number(session: Session, number: str) -> StoredBusiness | None:
    row = session.execute(
        select(BusinessRow).join(NumberRow, NumberRow.business_id == BusinessRow.id).where(NumberRow.number == number)
    ).scalar_one_or_none()
    return _stored(row) if row else None


# Built once: constructing a statement costs more than running it, and these run on every call.
_VERSION_BY_NUMBER = (
    select(BusinessRow.id, BusinessRow.revision)
    .join(NumberRow, NumberRow.business_id == BusinessRow.id)
    .where(NumberRow.number == bindparam("number"))
)
_VERSION_BY_ID = select(BusinessRow.id, BusinessRow.revision).where(BusinessRow.id == bindparam("business_id"))
_DOCUMENT_BY_ID = select(BusinessRow.id, BusinessRow.revision, BusinessRow.document).where(
    BusinessRow.id == bindparam("business_id")
)


def version_of_number(connection: Connection, number: str) -> tuple[int, int] | None:
    """(business id, revision) for a number: the one query every call makes, kept to two integers."""
    row = connection.execute(_VERSION_BY_NUMBER, {"number": number}).one_or_none()
    return (row[0], row[1]) if row else None


def version_of_business(connection: Connection, business_id: int) -> tuple[int, int] | None:
    row = connection.execute(_VERSION_BY_ID, {"business_id": business_id}).one_or_none()
    return (row[0], row[1]) if row else None


def document_of(connection: Connection, business_id: int) -> StoredBusiness | None:
    row = connection.execute(_DOCUMENT_BY_ID, {"business_id": business_id}).one_or_none()
    return StoredBusiness(row[0], row[1], row[2]) if row else None


def get(session: Session, business_id: int) -> StoredBusiness:
    row = session.get(BusinessRow, business_id)
    if row is None:
        raise NotFoundError(f"no business with id {business_id}")
    return _stored(row)


def owners_of(session: Session, numbers: list[str]) -> dict[str, int]:
    rows = session.execute(select(NumberRow.number, NumberRow.business_id).where(NumberRow.number.in_(numbers)))
    return {number: business_id for number, business_id in rows}


def save(
    session: Session, name: str, numbers: list[str], document: dict[str, Any], now: datetime, by: str = ""
) -> StoredBusiness:
    """Create or replace the business that owns these numbers; numbers of two businesses are refused."""
    owners = owners_of(session, numbers)
    business_ids = sorted(set(owners.values()))
    if len(business_ids) > 1:
        listing = ", ".join(f"{number} (business {owner})" for number, owner in sorted(owners.items()))
        raise ConflictError(f"these numbers belong to different businesses: {listing}; apply them separately")
    if business_ids:
        row = session.get_one(BusinessRow, business_ids[0])
        row.name, row.document, row.revision, row.updated_at = name, document, row.revision + 1, now
        session.execute(delete(NumberRow).where(NumberRow.business_id == row.id))
    else:
        row = BusinessRow(name=name, document=document, revision=1, created_at=now, updated_at=now)
        session.add(row)
    session.flush()
    session.add_all(NumberRow(number=number, business_id=row.id) for number in numbers)
    history.record(session, row.id, row.revision, document, by, now)
    session.flush()
    mark_changed(session)
    return _stored(row)


def replace(
    session: Session,
    business_id: int,
    name: str,
    numbers: list[str],
    document: dict[str, Any],
    now: datetime,
    by: str = "",
) -> StoredBusiness:
    """Replace a known business's document (an admin's edit); its numbers may not belong to another business."""
    others = sorted(number for number, owner in owners_of(session, numbers).items() if owner != business_id)
    if others:
        raise ConflictError(f"{', '.join(others)} already belong(s) to another business; remove it from this one")
    row = session.get(BusinessRow, business_id)
    if row is None:
        raise NotFoundError(f"no business with id {business_id}")
    row.name, row.document, row.revision, row.updated_at = name, document, row.revision + 1, now
    session.execute(delete(NumberRow).where(NumberRow.business_id == business_id))
    session.flush()
    session.add_all(NumberRow(number=number, business_id=business_id) for number in numbers)
    history.record(session, business_id, row.revision, document, by, now)
    session.flush()
    mark_changed(session)
    return _stored(row)


def all_businesses(session: Session) -> list[StoredBusiness]:
    return [_stored(row) for row in session.scalars(select(BusinessRow).order_by(BusinessRow.id))]


def visible_to(session: Session, business_id: int | None) -> list[StoredBusiness]:
    """The businesses a key may see: its own by primary key (one row, however many there are), or all of them."""
    if business_id is None:
        return all_businesses(session)
    row = session.get(BusinessRow, business_id)
    return [_stored(row)] if row else []

"""Storing business documents and finding a business by the number a caller dialled."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from ivr.errors import ConflictError, NotFoundError, StaleRevisionError
from ivr.store import history
from ivr.store.revisions import mark_changed
from ivr.store.tables import BusinessRow, DocumentVersionRow, NumberRow


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


def get(session: Session, business_id: int, *, for_update: bool = False) -> StoredBusiness:
    """`for_update`: lock the row until the transaction ends, so that a change merged into this document cannot lose
    one saved meanwhile. PostgreSQL only: SQLAlchemy sends no FOR UPDATE to SQLite, whose driver begins the
    transaction at its first write, after this read."""
    row = session.get(BusinessRow, business_id, with_for_update=for_update)
    if row is None:
        raise NotFoundError(f"no business with id {business_id}")
    return _stored(row)


def hold_revision(session: Session, business_id: int, expected: int) -> None:
    """Go on only if the business is still at revision `expected`, and keep it there until the transaction ends:
    StaleRevisionError otherwise (an If-Match that lost the race). A write that changes nothing, so that the check
    and the lock are one statement on both databases: PostgreSQL locks the row and re-reads its revision after a
    concurrent change commits; SQLite takes its write lock at the first write (a read-then-check would race)."""
    held = session.execute(
        update(BusinessRow)
        .where(BusinessRow.id == business_id, BusinessRow.revision == expected)
        .values(revision=BusinessRow.revision)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(held, CursorResult)
    if held.rowcount == 1:
        return
    stored = session.scalar(select(BusinessRow.revision).where(BusinessRow.id == business_id))
    if stored is None:
        raise NotFoundError(f"no business with id {business_id}")
    raise StaleRevisionError(expected, stored)


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
        if row.document == document and row.name == name:
            return _stored(row)  # applied unchanged: as replace(), no new revision and no version in the history
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
    """Replace a known business's document (an admin's edit); its numbers may not belong to another business.
    The numbers are the document's own, so the same document means the same numbers."""
    others = sorted(number for number, owner in owners_of(session, numbers).items() if owner != business_id)
    if others:
        raise ConflictError(f"{', '.join(others)} already belong(s) to another business; remove it from this one")
    row = session.get(BusinessRow, business_id)
    if row is None:
        raise NotFoundError(f"no business with id {business_id}")
    if row.document == document and row.name == name:
        return _stored(row)  # saved unchanged: no new revision, no version in the history, nothing to reload
    row.name, row.document, row.revision, row.updated_at = name, document, row.revision + 1, now
    session.execute(delete(NumberRow).where(NumberRow.business_id == business_id))
    session.flush()
    session.add_all(NumberRow(number=number, business_id=business_id) for number in numbers)
    history.record(session, business_id, row.revision, document, by, now)
    session.flush()
    mark_changed(session)
    return _stored(row)


def revisions(connection: Connection) -> dict[int, int]:
    """Every business's revision, without the documents: to find the few that changed since a look."""
    return {id_: revision for id_, revision in connection.execute(select(BusinessRow.id, BusinessRow.revision))}


# Ids per query for `documents_of`: below every database's limit on bound parameters.
IDS_PER_QUERY = 500


def documents_of(connection: Connection, business_ids: list[int]) -> Iterator[StoredBusiness]:
    """The businesses' documents, a query of `IDS_PER_QUERY` at a time: whoever reads all 10,000 holds a few hundred
    decoded documents at once, not every one (they made a served process grow by hundreds of MB, issue 12)."""
    for start in range(0, len(business_ids), IDS_PER_QUERY):
        chunk = business_ids[start : start + IDS_PER_QUERY]
        query = select(BusinessRow.id, BusinessRow.revision, BusinessRow.document).where(BusinessRow.id.in_(chunk))
        yield from (StoredBusiness(*row) for row in connection.execute(query).all())


_ALL_DOCUMENTS = select(BusinessRow.id, BusinessRow.revision, BusinessRow.document).order_by(BusinessRow.id)


def all_businesses(connection: Connection) -> list[StoredBusiness]:
    return [StoredBusiness(*row) for row in connection.execute(_ALL_DOCUMENTS).all()]


def visible_to(connection: Connection, business_id: int | None) -> list[StoredBusiness]:
    """The businesses a key may see: its own by primary key (one row, however many there are), or all of them."""
    if business_id is None:
        return all_businesses(connection)
    found = document_of(connection, business_id)
    return [found] if found else []


@dataclass(frozen=True)
class NewBusiness:
    name: str
    numbers: list[str]
    document: dict[str, Any]


def insert_many(session: Session, new: list[NewBusiness], now: datetime) -> list[int]:
    """Add businesses whose numbers nobody owns yet, in three statements whatever their count (a bulk import).

    A number already owned fails the whole insert (the primary key of business_numbers): check with `owners_of`
    first when that can happen.
    """
    if not new:
        return []
    ids = list(
        session.scalars(
            insert(BusinessRow).returning(BusinessRow.id, sort_by_parameter_order=True),
            [
                {"name": b.name, "document": b.document, "revision": 1, "created_at": now, "updated_at": now}
                for b in new
            ],
        )
    )
    numbers = [{"number": number, "business_id": id_} for id_, b in zip(ids, new, strict=True) for number in b.numbers]
    session.execute(insert(NumberRow), numbers)
    session.execute(
        insert(DocumentVersionRow),
        [
            {"business_id": id_, "revision": 1, "document": b.document, "changed_by": "", "changed_at": now}
            for id_, b in zip(ids, new, strict=True)
        ],
    )
    mark_changed(session)
    return ids

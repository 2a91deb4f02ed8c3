"""Staff logins: e-mail and an argon2-hashed password, tied to one business."""

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.errors import ConflictError, NotFoundError
from ivr.store.tables import StaffUserRow

_hasher = PasswordHasher()


@dataclass(frozen=True)
class StaffUser:
    id: int
    business_id: int
    email: str


def set_login(session: Session, *, business_id: int, email: str, password: str, now: datetime) -> StaffUser:
    """Create the login, or give an existing one this business and password."""
    row = session.execute(select(StaffUserRow).where(StaffUserRow.email == email.lower())).scalar_one_or_none()
    if row is None:
        row = StaffUserRow(email=email.lower(), created_at=now)
        session.add(row)
    row.business_id, row.password_hash = business_id, _hasher.hash(password)
    session.flush()
    return StaffUser(row.id, row.business_id, row.email)


def verify(session: Session, email: str, password: str) -> StaffUser | None:
    row = session.execute(select(StaffUserRow).where(StaffUserRow.email == email.lower())).scalar_one_or_none()
    if row is None:
        _hasher.hash(password)  # spend the same time as for a known address: no hint which addresses exist
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return StaffUser(row.id, row.business_id, row.email)


def get(session: Session, user_id: int) -> StaffUser | None:
    row = session.get(StaffUserRow, user_id)
    return StaffUser(row.id, row.business_id, row.email) if row else None


# A password shorter than this is refused wherever one is set (the CLI, the admin page).
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    created_at: datetime


def of_business(session: Session, business_id: int) -> list[StaffMember]:
    rows = session.scalars(
        select(StaffUserRow).where(StaffUserRow.business_id == business_id).order_by(StaffUserRow.email)
    )
    return [StaffMember(row.id, row.email, row.created_at) for row in rows]


def add(session: Session, *, business_id: int, email: str, password: str, now: datetime) -> StaffUser:
    """A new login; an address that already logs in (here or at another business) is refused, never moved."""
    if session.execute(select(StaffUserRow.id).where(StaffUserRow.email == email.lower())).first():
        raise ConflictError(f"{email.lower()} already has a login")
    return set_login(session, business_id=business_id, email=email, password=password, now=now)


def remove(session: Session, business_id: int, user_id: int) -> None:
    row = session.get(StaffUserRow, user_id)
    if row is None or row.business_id != business_id:
        raise NotFoundError(f"no staff login {user_id} at business {business_id}")
    session.delete(row)
    session.flush()


def change_password(session: Session, user_id: int, current: str, new: str) -> bool:
    """False when the current password is wrong (then nothing changes)."""
    row = session.get(StaffUserRow, user_id)
    if row is None or verify(session, row.email, current) is None:
        return False
    row.password_hash = _hasher.hash(new)
    session.flush()
    return True

"""Staff logins: e-mail and an argon2-hashed password, tied to one business."""

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

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

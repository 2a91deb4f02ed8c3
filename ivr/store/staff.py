"""Staff logins: e-mail and an argon2-hashed password, tied to one business; a session epoch ends old sessions."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

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
    session_epoch: int


def _user(row: StaffUserRow) -> StaffUser:
    return StaffUser(row.id, row.business_id, row.email, row.session_epoch)


@cache
def dummy_hash(hasher: PasswordHasher = _hasher) -> str:
    """A hash no password matches, checked for unknown addresses so they take as long as known ones."""
    return hasher.hash("no staff login has this password; it only spends the time of a real check")


def set_login(session: Session, *, business_id: int, email: str, password: str, now: datetime) -> StaffUser:
    """Create the login, or give an existing one this business and password (which ends its sessions)."""
    row = session.execute(select(StaffUserRow).where(StaffUserRow.email == email.lower())).scalar_one_or_none()
    if row is None:
        row = StaffUserRow(email=email.lower(), created_at=now, session_epoch=0)
        session.add(row)
    else:
        row.session_epoch += 1
    row.business_id, row.password_hash = business_id, _hasher.hash(password)
    session.flush()
    return _user(row)


def verify(session: Session, email: str, password: str, hasher: PasswordHasher = _hasher) -> StaffUser | None:
    row = session.execute(select(StaffUserRow).where(StaffUserRow.email == email.lower())).scalar_one_or_none()
    try:
        # An unknown address is checked against the dummy hash: the same work, so no hint which addresses exist.
        hasher.verify(row.password_hash if row else dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        return None
    return _user(row) if row else None


def end_sessions(session: Session, user_id: int) -> None:
    row = session.get(StaffUserRow, user_id)
    if row is not None:
        row.session_epoch += 1


def get(session: Session, user_id: int) -> StaffUser | None:
    row = session.get(StaffUserRow, user_id)
    return _user(row) if row else None

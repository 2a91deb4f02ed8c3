"""Staff logins: e-mail and an argon2-hashed password, tied to one business; a session epoch ends old sessions."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.errors import ConflictError, NotFoundError
from ivr.store.tables import StaffUserRow

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@cache
def password_hasher() -> "PasswordHasher":
    """argon2 loads with the first login or password set: a server that only answers calls never holds it (idle
    memory, issue 12)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@dataclass(frozen=True)
class StaffUser:
    id: int
    business_id: int
    email: str
    session_epoch: int


def _user(row: StaffUserRow) -> StaffUser:
    return StaffUser(row.id, row.business_id, row.email, row.session_epoch)


@cache
def dummy_hash(hasher: "PasswordHasher") -> str:
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
    row.business_id, row.password_hash = business_id, password_hasher().hash(password)
    session.flush()
    return _user(row)


def verify(session: Session, email: str, password: str, hasher: "PasswordHasher | None" = None) -> StaffUser | None:
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = hasher or password_hasher()
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


def change_password(session: Session, user_id: int, current: str, new: str) -> int | None:
    """The login's new session epoch, or None when the current password is wrong (then nothing changes).

    A new password ends every session of the login; the caller keeps its own by taking the new epoch.
    """
    row = session.get(StaffUserRow, user_id)
    if row is None or verify(session, row.email, current) is None:
        return None
    row.password_hash = password_hasher().hash(new)
    row.session_epoch += 1
    session.flush()
    return row.session_epoch

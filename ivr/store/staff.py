"""Staff logins: e-mail and an argon2-hashed password, a role at each business they belong to (ivr.roles); a session
epoch ends old sessions."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ivr.errors import ConflictError, InputError, NotFoundError
from ivr.roles import OWNER, ROLES
from ivr.store.access_tables import StaffMembershipRow, StaffUserRow

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@cache
def password_hasher() -> "PasswordHasher":
    """argon2 loads with the first login or password set: a server that only answers calls never holds it (idle
    memory, issue 12)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@dataclass(frozen=True)
class Membership:
    business_id: int
    role: str


@dataclass(frozen=True)
class StaffUser:
    """A login acting for one of its businesses (`business_id`, in `role`); `memberships` are all of them."""

    id: int
    business_id: int
    email: str
    session_epoch: int
    role: str
    memberships: tuple[Membership, ...]
    two_factor: bool = False  # a TOTP app is set up (ivr.store.two_factor)


def memberships(session: Session, user_id: int) -> tuple[Membership, ...]:
    rows = session.scalars(
        select(StaffMembershipRow)
        .where(StaffMembershipRow.staff_id == user_id)
        .order_by(StaffMembershipRow.business_id)
    )
    return tuple(Membership(row.business_id, row.role) for row in rows)


def _user(session: Session, row: StaffUserRow, business_id: int | None = None) -> StaffUser | None:
    """The login acting for `business_id` when it belongs there, else for its first business; None without any."""
    places = memberships(session, row.id)
    if not places:
        return None
    chosen = next((place for place in places if place.business_id == business_id), places[0])
    two_factor = row.totp_secret is not None
    return StaffUser(row.id, chosen.business_id, row.email, row.session_epoch, chosen.role, places, two_factor)


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    return role


@cache
def dummy_hash(hasher: "PasswordHasher") -> str:
    """A hash no password matches, checked for unknown addresses so they take as long as known ones."""
    return hasher.hash("no staff login has this password; it only spends the time of a real check")


def set_login(
    session: Session, *, business_id: int, email: str, password: str | None, now: datetime, role: str = OWNER
) -> StaffUser:
    """Create the login, or give an existing one this business in this role; a password given replaces the old one
    (which ends its sessions). A new login needs one."""
    _checked_role(role)
    row = _row_by_email(session, email)
    if row is None:
        if password is None:
            raise InputError(f"{email.lower()} has no login yet: give it a password")
        row = StaffUserRow(email=email.lower(), created_at=now, session_epoch=0)
        session.add(row)
    elif password is not None:
        row.session_epoch += 1
    if password is not None:
        row.password_hash = password_hasher().hash(password)
    session.flush()
    place = session.get(StaffMembershipRow, (row.id, business_id))
    if place is None:
        session.add(StaffMembershipRow(staff_id=row.id, business_id=business_id, role=role))
    else:
        place.role = role
    session.flush()
    user = _user(session, row, business_id)
    assert user is not None  # it has this business now
    return user


def _row_by_email(session: Session, email: str) -> StaffUserRow | None:
    return session.execute(select(StaffUserRow).where(StaffUserRow.email == email.lower())).scalar_one_or_none()


def verify(session: Session, email: str, password: str, hasher: "PasswordHasher | None" = None) -> StaffUser | None:
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = hasher or password_hasher()
    row = _row_by_email(session, email)
    try:
        # An unknown address is checked against the dummy hash: the same work, so no hint which addresses exist.
        hasher.verify(row.password_hash if row else dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        return None
    return _user(session, row) if row else None


def businesses_of(session: Session, email: str) -> list[int]:
    """The businesses an address logs in to (none for an unknown one): whose audit trail a failed login belongs in."""
    row = _row_by_email(session, email)
    return [place.business_id for place in memberships(session, row.id)] if row else []


def end_sessions(session: Session, user_id: int) -> None:
    row = session.get(StaffUserRow, user_id)
    if row is not None:
        row.session_epoch += 1


def get(session: Session, user_id: int, business_id: int | None = None) -> StaffUser | None:
    """The login acting for `business_id` (its first business when it does not belong there); None when it is gone
    or belongs nowhere."""
    row = session.get(StaffUserRow, user_id)
    return _user(session, row, business_id) if row else None


# A password shorter than this is refused wherever one is set (the CLI, the admin page).
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    created_at: datetime
    role: str


def of_business(session: Session, business_id: int) -> list[StaffMember]:
    rows = session.execute(
        select(StaffUserRow, StaffMembershipRow.role)
        .join(StaffMembershipRow, StaffMembershipRow.staff_id == StaffUserRow.id)
        .where(StaffMembershipRow.business_id == business_id)
        .order_by(StaffUserRow.email)
    )
    return [StaffMember(row.id, row.email, row.created_at, role) for row, role in rows]


def add(
    session: Session, *, business_id: int, email: str, password: str, now: datetime, role: str = OWNER
) -> StaffUser:
    """A new login; an address that already logs in (here or at another business) is refused, never moved: only the
    command line gives an existing login another business."""
    if _row_by_email(session, email) is not None:
        raise ConflictError(f"{email.lower()} already has a login")
    return set_login(session, business_id=business_id, email=email, password=password, now=now, role=role)


def _membership(session: Session, business_id: int, user_id: int) -> StaffMembershipRow:
    place = session.get(StaffMembershipRow, (user_id, business_id))
    if place is None:
        raise NotFoundError(f"no staff login {user_id} at business {business_id}")
    return place


def remove(session: Session, business_id: int, user_id: int) -> StaffMember:
    """Takes the login from this business; a login left without any business is deleted."""
    place = _membership(session, business_id, user_id)
    member = next(m for m in of_business(session, business_id) if m.id == user_id)
    session.delete(place)
    session.flush()
    if not memberships(session, user_id):
        session.execute(delete(StaffUserRow).where(StaffUserRow.id == user_id))
    session.flush()
    return member


def set_role(session: Session, business_id: int, user_id: int, role: str) -> tuple[StaffMember, str]:
    """The member and the role it had before."""
    _checked_role(role)
    place = _membership(session, business_id, user_id)
    before, place.role = place.role, role
    session.flush()
    member = next(m for m in of_business(session, business_id) if m.id == user_id)
    return member, before


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

"""Password reset by e-mail (issue 24): a one-time link, valid one hour. Only the token's SHA-256 is stored, so a
copy of the database opens no account; a new password ends every session of the login (its epoch rises)."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ivr.store import staff
from ivr.store.access_tables import PasswordResetRow, StaffUserRow
from ivr.store.staff import StaffUser

VALID_FOR = timedelta(hours=1)
# 256 bits: a link cannot be guessed within its hour.
TOKEN_BYTES = 32

Refusal = Literal["unknown", "used", "expired"]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, email: str, now: datetime) -> tuple[StaffUser, str] | None:
    """A new link's token for the login with this address; None for an address without one (the page says the same
    either way)."""
    row = session.execute(select(StaffUserRow).where(StaffUserRow.email == email.lower())).scalar_one_or_none()
    user = staff.get(session, row.id) if row else None
    if user is None:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(PasswordResetRow(staff_id=user.id, token_hash=_hash(token), expires_at=now + VALID_FOR))
    session.flush()
    return user, token


def check(session: Session, token: str, now: datetime) -> Refusal | None:
    """Why the link cannot be used, or None when it can."""
    row = session.execute(
        select(PasswordResetRow).where(PasswordResetRow.token_hash == _hash(token))
    ).scalar_one_or_none()
    if row is None:
        return "unknown"
    if row.used_at is not None:
        return "used"
    if row.expires_at <= now:
        return "expired"
    return None


def redeem(session: Session, token: str, new_password: str, now: datetime) -> StaffUser | Refusal:
    """Sets the new password and uses up this link and every other open link of the login, in one transaction."""
    row = session.execute(
        select(PasswordResetRow).where(PasswordResetRow.token_hash == _hash(token)).with_for_update()
    ).scalar_one_or_none()
    refusal = check(session, token, now)
    if refusal is not None or row is None:
        return refusal or "unknown"
    session.execute(
        update(PasswordResetRow)
        .where(PasswordResetRow.staff_id == row.staff_id, PasswordResetRow.used_at.is_(None))
        .values(used_at=now)
    )
    user_row = session.get(StaffUserRow, row.staff_id)
    assert user_row is not None  # the link is deleted with its login
    user_row.password_hash = staff.password_hasher().hash(new_password)
    user_row.session_epoch += 1
    session.flush()
    user = staff.get(session, row.staff_id)
    assert user is not None
    return user

"""API keys: random, shown once, stored as a SHA-256 hash, revocable.

A key is 32 random bytes, so a fast hash is enough: there is nothing to guess that a slow hash would protect.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.access_tables import ApiKeyRow
from ivr.store.tables import BusinessRow

KEY_PREFIX = "gl_"
SHOWN_PREFIX_LENGTH = 10


@dataclass(frozen=True)
class ApiKey:
    id: int
    prefix: str
    business_id: int | None  # None: a platform key
    label: str
    created_at: datetime
    revoked_at: datetime | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.prefix, row.business_id, row.label, row.created_at, row.revoked_at)


def create(session: Session, *, business_id: int | None, label: str, now: datetime) -> tuple[ApiKey, str]:
    """Returns the stored key and the secret, which is never stored and cannot be shown again."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKeyRow(
        key_hash=_hash(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        business_id=business_id,
        label=label,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return _key(row), secret


@dataclass(frozen=True)
class KeyOwner:
    business_id: int | None  # None: a platform key
    # Whether the business asked about exists (`active_owner(..., asked=id)`); None when none was asked about.
    asked_exists: bool | None = None


# Built once: on the API's hot paths constructing the ORM statement cost more than running it (issue 12).
_ACTIVE_OWNER = select(ApiKeyRow.business_id).where(
    ApiKeyRow.key_hash == bindparam("key_hash"), ApiKeyRow.revoked_at.is_(None)
)


# The same, and in the same round trip whether a business exists: a request about one business needs both.
_ACTIVE_OWNER_AND_ASKED = select(
    ApiKeyRow.business_id,
    select(BusinessRow.id).where(BusinessRow.id == bindparam("asked")).scalar_subquery(),
).where(ApiKeyRow.key_hash == bindparam("key_hash"), ApiKeyRow.revoked_at.is_(None))


def active_owner(connection: Connection, secret: str, *, asked: int | None = None) -> KeyOwner | None:
    """Whose key this is, if it is active: what every API request checks first. `asked`: a business id whose
    existence is read in the same statement."""
    if asked is None:
        owner = connection.execute(_ACTIVE_OWNER, {"key_hash": _hash(secret)}).one_or_none()
        return KeyOwner(owner[0]) if owner else None
    both = connection.execute(_ACTIVE_OWNER_AND_ASKED, {"key_hash": _hash(secret), "asked": asked}).one_or_none()
    return KeyOwner(both[0], both[1] is not None) if both else None


def all_keys(session: Session) -> list[ApiKey]:
    return [_key(row) for row in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]


def keys_of(session: Session, business_id: int) -> list[ApiKey]:
    """A business's own keys, the newest first (platform keys are not the business's to see)."""
    query = select(ApiKeyRow).where(ApiKeyRow.business_id == business_id).order_by(ApiKeyRow.id.desc())
    return [_key(row) for row in session.scalars(query)]


def revoke(session: Session, key_id: int, now: datetime, *, business_id: int | None = None) -> ApiKey:
    """`business_id`: only that business's key (the admin page); another's is as if it did not exist."""
    row = session.get(ApiKeyRow, key_id)
    if row is None or (business_id is not None and row.business_id != business_id):
        raise NotFoundError(f"no API key with id {key_id}; `greetline keys list` shows them")
    row.revoked_at = row.revoked_at or now
    return _key(row)

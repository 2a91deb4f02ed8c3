"""The tables of who may do what: logins and their memberships, two-step recovery codes, password resets, failed
logins, API keys, and the audit trail. As SQLAlchemy 2 typed mappings on the one `Base`; schema changes go through an
Alembic migration."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ivr.store.tables import Base, Instant


class ApiKeyRow(Base):
    """An API key, stored only as its hash; `business_id` NULL makes it a platform key."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the key, so people can tell their keys apart in a listing.
    prefix: Mapped[str] = mapped_column(String(16))
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(Instant())
    revoked_at: Mapped[datetime | None] = mapped_column(Instant())


class StaffUserRow(Base):
    """Someone who logs in to the admin page; the password only as an argon2 hash. Which businesses, in which role:
    StaffMembershipRow."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Instant())
    # Sessions record the epoch they were made in; raising it (logout, a new password) ends the older ones.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Two-step login (ivr.store.two_factor): the TOTP secret once set up, and the last time step a code was accepted
    # for, so the same code cannot log in twice (RFC 6238 section 5.2).
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class StaffMembershipRow(Base):
    """A login's place at one business: its role there (ivr.roles)."""

    __tablename__ = "staff_memberships"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))


class RecoveryCodeRow(Base):
    """A one-time code that logs in without the phone app; only its SHA-256 is kept."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(Instant(), nullable=True)


class PasswordResetRow(Base):
    """A password reset link sent by e-mail: good once, for an hour (ivr.store.password_resets); only its hash."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(Instant())
    used_at: Mapped[datetime | None] = mapped_column(Instant(), nullable=True)


class LoginFailureRow(Base):
    """Consecutive failed logins for one account or one address (ivr.web.logins), shared by every replica."""

    __tablename__ = "login_failures"

    # "account:<e-mail>" or "address:<client address>".
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime] = mapped_column(Instant(), index=True)


class AuditEventRow(Base):
    """One entry of a business's audit trail: who did what, when, from where. Details never hold contents (no
    voices, no transcripts, no passwords), only what identifies the act: a recording id, a count, a role."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_business_at", "business_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NULL: an act on the platform, or a failed login whose business is not known.
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), nullable=True)
    at: Mapped[datetime] = mapped_column(Instant())
    # Who: a login's e-mail address, "api:<key prefix>", "cli" or "worker".
    actor: Mapped[str] = mapped_column(String(254))
    # What, from the fixed list in ivr.store.audit.ACTIONS.
    action: Mapped[str] = mapped_column(String(40))
    # From where: the client's address for an act over HTTP.
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

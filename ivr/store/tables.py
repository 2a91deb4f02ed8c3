"""The tables, as SQLAlchemy 2 typed mappings. Schema changes go through an Alembic migration."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class BusinessRow(Base):
    __tablename__ = "businesses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The validated business document as the user's key names; the document model is the schema.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Bumped on every change, so caches keyed on (id, revision) never serve a stale configuration.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # The directory's revision check reads this instead of every row (ivr.store.revisions.stamp).
    __table_args__ = (Index("ix_businesses_revision_updated", "revision", "updated_at"),)


class DocumentVersionRow(Base):
    """One stored version of a business document; a change adds a row, going back to a version adds another."""

    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The staff member's e-mail address; empty for a change from the CLI or the API.
    changed_by: Mapped[str] = mapped_column(String(254))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NumberRow(Base):
    __tablename__ = "business_numbers"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)


class CallRow(Base):
    __tablename__ = "calls"
    # A business's newest calls first (the call log's page) read straight off the index: no sort of all its calls.
    __table_args__ = (Index("ix_calls_business_started", "business_id", text("started_at DESC")),)

    call_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    # No foreign key: calls to unknown numbers are logged too, and the log outlives a deleted business.
    business_id: Mapped[int | None] = mapped_column(Integer, index=True)
    to_number: Mapped[str] = mapped_column(String(32))
    from_number: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    path: Mapped[list[str]] = mapped_column(JSON)
    outcome: Mapped[str | None] = mapped_column(String(32))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_s: Mapped[int | None] = mapped_column(Integer)


class RecordingRow(Base):
    __tablename__ = "recordings"

    recording_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    business_id: Mapped[int | None] = mapped_column(Integer, index=True)
    url: Mapped[str] = mapped_column(Text)
    duration_s: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The voicemail box it was left in (overflow, closed, menu:KEY, period:DAY): whom it is delivered to.
    box: Mapped[str | None] = mapped_column(String(64))
    # The caller, when the <Record> action told us (the status callback does not carry it).
    from_number: Mapped[str | None] = mapped_column(String(32))
    # Our private copy of the audio (see ivr.messages.recordings), once fetched and checked.
    audio_name: Mapped[str | None] = mapped_column(String(200))
    stored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Its words (issue 22; ivr.store.transcripts): NULL status when no engine is set.
    transcript_status: Mapped[str | None] = mapped_column(String(16))
    transcript: Mapped[str | None] = mapped_column(Text)
    transcript_language: Mapped[str | None] = mapped_column(String(8))
    transcript_confidence: Mapped[float | None] = mapped_column(Float)
    transcript_cut_short: Mapped[bool | None] = mapped_column(Boolean)
    urgent: Mapped[bool | None] = mapped_column(Boolean)


class JobRow(Base):
    """Work for the worker (ivr.jobs): a kind naming a function and its arguments, with its retry state.

    Deliveries are jobs, one per address or SMS number; `key` makes taking the same thing in twice a no-op.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    business_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # What the job is about (a RecordingSid, a CallSid, a summary's day), for listing deliveries per message.
    subject: Mapped[str | None] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A running job whose lease has passed belongs to a worker that died: it is taken up again.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    # The same failure as data (ivr.jobs.model.JobFailure): a page says why in its own language.
    last_error_code: Mapped[str | None] = mapped_column(String(64))
    last_error_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RenderedPromptRow(Base):
    """A text of a business turned into speech and normalised: the call flow plays it instead of <Say>."""

    __tablename__ = "rendered_prompts"
    __table_args__ = (UniqueConstraint("business_id", "language", "text", name="uq_rendered_prompt_text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    # The exact text as spoken (name and salutation filled in): the key the call flow looks it up by.
    text: Mapped[str] = mapped_column(Text)
    media_id: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(32))
    duration_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiKeyRow(Base):
    """An API key, stored only as its hash; `business_id` NULL makes it a platform key."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the key, so people can tell their keys apart in a listing.
    prefix: Mapped[str] = mapped_column(String(16))
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffUserRow(Base):
    """Someone at a business who logs in to the admin page; the password only as an argon2 hash."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Sessions record the epoch they were made in; raising it (logout, a new password) ends the older ones.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class GreetingRecordingRow(Base):
    """A recording a business uploaded, normalised; the document's greeting names the active one."""

    __tablename__ = "greeting_recordings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200))
    duration_s: Mapped[float] = mapped_column(Float)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CardTokenRow(Base):
    """The answering service's card of a business: its secret URL token, stored only as a SHA-256 hash."""

    __tablename__ = "card_tokens"

    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CallNoteRow(Base):
    """A note the answering service sent after a call it took; delivered like a voicemail message."""

    __tablename__ = "call_notes"
    __table_args__ = (Index("ix_call_notes_business_created", "business_id", "created_at"),)

    # "NT" and 32 hex digits, shaped like Twilio's SIDs: the deliveries' subject and the inbox's address for it.
    note_id: Mapped[str] = mapped_column(String(34), primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    caller_name: Mapped[str] = mapped_column(String(100))
    caller_number: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

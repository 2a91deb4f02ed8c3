"""The tables, as SQLAlchemy 2 typed mappings. Schema changes go through an Alembic migration."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Instant(TypeDecorator[datetime]):
    """A moment, stored in UTC and read back with its zone on every database.

    PostgreSQL keeps the zone (timestamptz); SQLite keeps none and would hand back a naive time, which the API then
    wrote without an offset (issue 20), and would store a time given in another zone as its wall-clock digits. So
    every time is turned into UTC on the way in (a naive one is UTC already: ours are) and marked UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    created_at: Mapped[datetime] = mapped_column(Instant())
    updated_at: Mapped[datetime] = mapped_column(Instant())

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
    changed_at: Mapped[datetime] = mapped_column(Instant())


class NumberRow(Base):
    __tablename__ = "business_numbers"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)


class CallRow(Base):
    __tablename__ = "calls"
    # A business's newest calls first (the call log's page) read straight off the index: no sort of all its calls.
    # The CSV export pages through a business's calls oldest first on (started_at, call_sid) off the second index:
    # without it every page sorted all the business's calls (200,000: 34 s and tens of MB for the CSV).
    __table_args__ = (
        Index("ix_calls_business_started", "business_id", text("started_at DESC")),
        Index("ix_calls_business_started_sid", "business_id", "started_at", "call_sid"),
    )

    call_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    # No foreign key: calls to unknown numbers are logged too, and the log outlives a deleted business.
    business_id: Mapped[int | None] = mapped_column(Integer, index=True)
    to_number: Mapped[str] = mapped_column(String(32))
    from_number: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(Instant(), index=True)
    path: Mapped[list[str]] = mapped_column(JSON)
    outcome: Mapped[str | None] = mapped_column(String(32))
    ended_at: Mapped[datetime | None] = mapped_column(Instant())
    duration_s: Mapped[int | None] = mapped_column(Integer)
    # What happened, kept as it was: the ring count the call's dial rang with, the voicemail box it ended in.
    rings: Mapped[int | None] = mapped_column(Integer)
    box: Mapped[str | None] = mapped_column(String(64))
    # A call the simulator made (`greetline call`): listed, marked, but in no summary, figure or note.
    simulated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # Why the call ended (ivr.callflow.end_reasons; NULL while it goes on), the stages the caller passed through
    # ([[stage, seconds from the start], ...], ivr.callflow.timeline) and the seconds from the first ring to a person.
    end_reason: Mapped[str | None] = mapped_column(String(32))
    marks: Mapped[list[list[Any]] | None] = mapped_column(JSON)
    person_s: Mapped[float | None] = mapped_column(Float)
    # The caller chose an emergency option (a menu option marked emergency, or the closed message's emergency key).
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    # Added by the worker from Twilio's Calls list because its own steps were lost (ivr.messages.call_recovery).
    recovered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class CallFigureRow(Base):
    """The call log counted per business and UTC hour (ivr.store.figure_rollup): the statistics read a few thousand
    of these instead of every call. Kept by the call-log writer in the same transaction as the calls."""

    __tablename__ = "call_figures"
    # SQLite: the rows stored in key order, so four weeks of a kind are read as one run, not row by row.
    __table_args__ = ({"sqlite_with_rowid": False},)

    # The key in this order: each kind's counters of a business's weeks lie together, read as one range.
    business_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What is counted (ivr.store.figure_rollup.Kind) and under which label (an end reason, a bin of seconds).
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    hour: Mapped[datetime] = mapped_column(Instant(), primary_key=True)
    label: Mapped[str] = mapped_column(String(32), primary_key=True)
    calls: Mapped[int] = mapped_column(Integer)


class RecordingRow(Base):
    __tablename__ = "recordings"

    recording_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    business_id: Mapped[int | None] = mapped_column(Integer, index=True)
    url: Mapped[str] = mapped_column(Text)
    duration_s: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    # When the caller left it: Twilio's start time of the recording when Twilio says, else when it reached us.
    received_at: Mapped[datetime] = mapped_column(Instant())
    handled_at: Mapped[datetime | None] = mapped_column(Instant())
    # The voicemail box it was left in (overflow, closed, menu:KEY, period:DAY): whom it is delivered to.
    box: Mapped[str | None] = mapped_column(String(64))
    # The caller, when the <Record> action told us (the status callback does not carry it).
    from_number: Mapped[str | None] = mapped_column(String(32))
    # Our private copy of the audio (see ivr.messages.recordings), once fetched and checked.
    audio_name: Mapped[str | None] = mapped_column(String(200))
    stored_at: Mapped[datetime | None] = mapped_column(Instant())
    # The path labels that led to the box, as the recording's webhooks carried them (ivr.callflow.flow), and the
    # ring count then: the e-mail has its route even before the call log has stored the call's steps.
    route: Mapped[list[str] | None] = mapped_column(JSON)
    rings: Mapped[int | None] = mapped_column(Integer)
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
    __table_args__ = (
        Index("ix_jobs_due", "state", "next_attempt_at"),
        # Each business's last daily summary queued (migration 0017).
        Index("ix_jobs_kind_business_subject", "kind", "business_id", "subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    business_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # What the job is about (a RecordingSid, a CallSid, a summary's day), for listing deliveries per message.
    subject: Mapped[str | None] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(Instant())
    # A running job whose lease has passed belongs to a worker that died: it is taken up again.
    lease_until: Mapped[datetime | None] = mapped_column(Instant())
    last_error: Mapped[str | None] = mapped_column(Text)
    # The same failure as data (ivr.jobs.model.JobFailure): a page says why in its own language.
    last_error_code: Mapped[str | None] = mapped_column(String(64))
    last_error_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(Instant())
    finished_at: Mapped[datetime | None] = mapped_column(Instant())
    # How a finished delivery went out when not as usual: "printed" by the console senders (migration 0050).
    done_as: Mapped[str | None] = mapped_column(String(16))


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
    created_at: Mapped[datetime] = mapped_column(Instant())


class GreetingRecordingRow(Base):
    """A recording a business uploaded, normalised; the document's greeting names the active one."""

    __tablename__ = "greeting_recordings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200))
    duration_s: Mapped[float] = mapped_column(Float)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(Instant())


class CardTokenRow(Base):
    """The answering service's card of a business: its secret URL token, stored only as a SHA-256 hash."""

    __tablename__ = "card_tokens"

    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Instant())


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
    created_at: Mapped[datetime] = mapped_column(Instant())
    handled_at: Mapped[datetime | None] = mapped_column(Instant())
    # The call it was written for, when written on the console (issue 26); the card's notes name no call.
    call_sid: Mapped[str | None] = mapped_column(String(64))


class CallbackRequestRow(Base):
    """A caller asked to be called back on `caller_number` (issue 23); open until staff mark it done."""

    __tablename__ = "callback_requests"
    __table_args__ = (Index("ix_callback_requests_business_created", "business_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    caller_number: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(Instant())
    # The call it was asked in: a webhook Twilio sends again stores it once.
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    done_at: Mapped[datetime | None] = mapped_column(Instant())


class CallbackFeedRow(Base):
    """The secret of a business's calendar feed of open callback requests. Kept as it is, not hashed: the admin page
    shows the feed's URL for staff to paste into their calendar again."""

    __tablename__ = "callback_feeds"

    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Instant())


class TextBackRow(Base):
    """One SMS sent back to a mobile caller who reached nobody (issue 23): at most one per caller per day."""

    __tablename__ = "text_backs"
    __table_args__ = (Index("ix_text_backs_business_caller_created", "business_id", "caller_number", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    caller_number: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(Instant())
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)


class CalendarCopyRow(Base):
    """The last good copy of a business's calendar feed as read for today and tomorrow (issue 26), and how the last
    fetch went; kept while the feed is down, replaced by the next good one."""

    __tablename__ = "calendar_copies"

    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True)
    # The feed the copy is of: a copy of an address the document no longer names is not shown or used.
    url: Mapped[str] = mapped_column(Text)
    # [[start, end, title, away, all_day], ...], instants in ISO 8601 UTC (ivr.store.calendars).
    events: Mapped[list[Any]] = mapped_column(JSON)
    capped: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime | None] = mapped_column(Instant())
    checked_at: Mapped[datetime] = mapped_column(Instant())
    # When the events last changed: part of the routing stamp (ivr.store.revisions), so servers reload the spells.
    changed_at: Mapped[datetime] = mapped_column(Instant(), index=True)
    problem: Mapped[str | None] = mapped_column(String(32))
    problem_detail: Mapped[str | None] = mapped_column(String(300))

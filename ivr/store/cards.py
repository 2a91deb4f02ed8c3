"""The answering service's card: one secret token per business, stored as a SHA-256 hash and shown only when
made (like API keys); rotating makes a new one and the old URL stops working at once. And the call notes the
service sends back through it.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.jobs import utc
from ivr.store.tables import CallNoteRow, CardTokenRow

# 32 random bytes: nothing to guess, so a fast hash is enough (as for API keys).
TOKEN_BYTES = 32
# Tokens are URL-safe base64 of TOKEN_BYTES: 43 characters; anything else is no token.
TOKEN_CHARS = 43


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rotate(session: Session, business_id: int, now: datetime) -> str:
    """A new token for the business's card (the first one, or replacing the old); returned once, never stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = session.get(CardTokenRow, business_id)
    if row is None:
        session.add(CardTokenRow(business_id=business_id, token_hash=_hash(token), created_at=now))
    else:
        row.token_hash, row.created_at = _hash(token), now
    session.flush()
    return token


def made_at(session: Session, business_id: int) -> datetime | None:
    row = session.get(CardTokenRow, business_id)
    return utc(row.created_at) if row else None


def business_of(session: Session, token: str) -> int:
    """The business whose card this token opens; NotFoundError for any other string, however it is wrong."""
    if len(token) != TOKEN_CHARS:
        raise NotFoundError("no such card")
    business_id = session.scalar(select(CardTokenRow.business_id).where(CardTokenRow.token_hash == _hash(token)))
    if business_id is None:
        raise NotFoundError("no such card")
    return business_id


@dataclass(frozen=True)
class CallNote:
    note_id: str
    business_id: int
    caller_name: str
    caller_number: str | None
    message: str
    urgent: bool
    created_at: datetime
    handled_at: datetime | None = None
    call_sid: str | None = None


def _note(row: CallNoteRow) -> CallNote:
    return CallNote(
        row.note_id,
        row.business_id,
        row.caller_name,
        row.caller_number,
        row.message,
        row.urgent,
        utc(row.created_at),
        utc(row.handled_at) if row.handled_at else None,
        row.call_sid,
    )


def new_note_id() -> str:
    return "NT" + secrets.token_hex(16)


def add_note(session: Session, note: CallNote) -> None:
    session.add(
        CallNoteRow(
            note_id=note.note_id,
            business_id=note.business_id,
            caller_name=note.caller_name,
            caller_number=note.caller_number,
            message=note.message,
            urgent=note.urgent,
            created_at=note.created_at,
            call_sid=note.call_sid,
        )
    )
    session.flush()


def get_note(session: Session, note_id: str) -> CallNote | None:
    row = session.get(CallNoteRow, note_id)
    return _note(row) if row else None


def notes(
    session: Session,
    business_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[CallNote]:
    """The business's notes, newest first."""
    query = select(CallNoteRow).where(CallNoteRow.business_id == business_id)
    if since is not None:
        query = query.where(CallNoteRow.created_at >= since)
    if until is not None:
        query = query.where(CallNoteRow.created_at < until)
    rows = session.scalars(query.order_by(CallNoteRow.created_at.desc()).limit(limit))
    return [_note(row) for row in rows]


def note_handled(session: Session, business_id: int, note_id: str, now: datetime, *, handled: bool = True) -> None:
    """Handled keeps the first time it was marked so; not handled (a mistake undone) clears it."""
    row = session.get(CallNoteRow, note_id)
    if row is None or row.business_id != business_id:
        raise NotFoundError(f"no call note {note_id}")
    row.handled_at = (row.handled_at or now) if handled else None


def notes_since(session: Session, business_id: int, since: datetime) -> int:
    """How many notes the business's card sent from `since` on: the card's rate limit, counted where every replica
    sees it."""
    query = select(func.count()).where(CallNoteRow.business_id == business_id, CallNoteRow.created_at > since)
    return int(session.execute(query).scalar_one())

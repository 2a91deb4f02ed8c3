"""Callback requests: stored once per call, listed newest first, marked done (and open again); and the secret of
each business's calendar feed of the open ones."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.errors import NotFoundError
from ivr.store.jobs import utc
from ivr.store.tables import CallbackFeedRow, CallbackRequestRow

# 32 random bytes, URL-safe: 43 characters, nothing to guess (as the card's token).
FEED_TOKEN_BYTES = 32
FEED_TOKEN_CHARS = 43


@dataclass(frozen=True)
class CallbackRequest:
    id: int
    business_id: int
    caller_number: str
    created_at: datetime
    call_sid: str | None
    done_at: datetime | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


def _request(row: CallbackRequestRow) -> CallbackRequest:
    done_at = utc(row.done_at) if row.done_at else None
    return CallbackRequest(row.id, row.business_id, row.caller_number, utc(row.created_at), row.call_sid, done_at)


def save(session: Session, business_id: int, caller_number: str, call_sid: str | None, now: datetime) -> int | None:
    """The new request's id; None when this call's request is already stored (Twilio sent the webhook again)."""
    if call_sid is not None:
        found = session.scalar(select(CallbackRequestRow.id).where(CallbackRequestRow.call_sid == call_sid))
        if found is not None:
            return None
    row = CallbackRequestRow(business_id=business_id, caller_number=caller_number, created_at=now, call_sid=call_sid)
    session.add(row)
    session.flush()
    return row.id


def get(session: Session, request_id: int) -> CallbackRequest | None:
    row = session.get(CallbackRequestRow, request_id)
    return _request(row) if row else None


def listed(
    session: Session,
    business_id: int,
    *,
    open_only: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[CallbackRequest]:
    """The business's requests, newest first."""
    query = select(CallbackRequestRow).where(CallbackRequestRow.business_id == business_id)
    if open_only:
        query = query.where(CallbackRequestRow.done_at.is_(None))
    if since is not None:
        query = query.where(CallbackRequestRow.created_at >= since)
    if until is not None:
        query = query.where(CallbackRequestRow.created_at < until)
    rows = session.scalars(
        query.order_by(CallbackRequestRow.created_at.desc(), CallbackRequestRow.id.desc()).limit(limit)
    )
    return [_request(row) for row in rows]


def mark(session: Session, business_id: int, request_id: int, now: datetime, *, done: bool) -> CallbackRequest:
    """Done (or open again); NotFoundError for a request of another business, as for one that never was."""
    row = session.get(CallbackRequestRow, request_id)
    if row is None or row.business_id != business_id:
        raise NotFoundError(f"no callback request {request_id}")
    row.done_at = now if done else None
    session.flush()
    return _request(row)


def feed_token(session: Session, business_id: int, now: datetime, *, rotate: bool = False) -> str:
    """The business's feed secret, made the first time it is asked for; `rotate`: a new one, the old stops at once."""
    row = session.get(CallbackFeedRow, business_id)
    if row is not None and not rotate:
        return row.token
    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    if row is None:
        session.add(CallbackFeedRow(business_id=business_id, token=token, created_at=now))
    else:
        row.token, row.created_at = token, now
    session.flush()
    return token


def business_of_feed(session: Session, token: str) -> int:
    """The business whose feed this token opens; NotFoundError for any other string, however it is wrong."""
    if len(token) != FEED_TOKEN_CHARS:
        raise NotFoundError("no such feed")
    business_id = session.scalar(select(CallbackFeedRow.business_id).where(CallbackFeedRow.token == token))
    if business_id is None:
        raise NotFoundError("no such feed")
    return business_id


def asked_in_call(session: Session, call_sid: str) -> bool:
    return session.scalar(select(CallbackRequestRow.id).where(CallbackRequestRow.call_sid == call_sid)) is not None

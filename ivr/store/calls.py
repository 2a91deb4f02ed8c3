"""The call log: one row per call, its path through the flow and how it ended."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.store.tables import CallRow, RecordingRow


@dataclass(frozen=True)
class LoggedCall:
    call_sid: str
    business_id: int | None
    to_number: str
    from_number: str
    started_at: datetime
    path: list[str]
    outcome: str | None
    ended_at: datetime | None
    duration_s: int | None


def _logged(row: CallRow) -> LoggedCall:
    return LoggedCall(
        row.call_sid,
        row.business_id,
        row.to_number,
        row.from_number,
        row.started_at,
        list(row.path),
        row.outcome,
        row.ended_at,
        row.duration_s,
    )


def log_step(
    session: Session,
    *,
    call_sid: str,
    business_id: int | None,
    to_number: str,
    from_number: str,
    now: datetime,
    path: str,
    outcome: str | None,
) -> None:
    """Add a step to a call's path, creating the call on its first webhook. Replays add nothing twice."""
    row = session.get(CallRow, call_sid, with_for_update=True)
    if row is None:
        session.add(
            CallRow(
                call_sid=call_sid,
                business_id=business_id,
                to_number=to_number,
                from_number=from_number,
                started_at=now,
                path=[path],
                outcome=outcome,
            )
        )
        return
    if not row.path or row.path[-1] != path:
        row.path = [*row.path, path]
    if outcome is not None:
        row.outcome = outcome


def finish(session: Session, *, call_sid: str, now: datetime, duration_s: int | None, hung_up: str) -> None:
    """The call ended (Twilio's status callback); a call that reached no outcome was hung up by the caller."""
    row = session.get(CallRow, call_sid, with_for_update=True)
    if row is None:
        return
    row.ended_at = now
    row.duration_s = duration_s
    if row.outcome is None:
        row.outcome = hung_up


def get(session: Session, call_sid: str) -> LoggedCall | None:
    row = session.get(CallRow, call_sid)
    return _logged(row) if row else None


def recent(session: Session, business_id: int, limit: int = 50) -> list[LoggedCall]:
    rows = session.scalars(
        select(CallRow).where(CallRow.business_id == business_id).order_by(CallRow.started_at.desc()).limit(limit)
    )
    return [_logged(row) for row in rows]


def save_recording(
    session: Session,
    *,
    recording_sid: str,
    call_sid: str,
    business_id: int | None,
    url: str,
    duration_s: int | None,
    status: str,
    now: datetime,
) -> bool:
    """Store a voicemail recording's callback once; Twilio retries callbacks, so a repeat changes nothing.

    Returns whether it was new.
    """
    if session.get(RecordingRow, recording_sid) is not None:
        return False
    session.add(
        RecordingRow(
            recording_sid=recording_sid,
            call_sid=call_sid,
            business_id=business_id,
            url=url,
            duration_s=duration_s,
            status=status,
            received_at=now,
        )
    )
    return True

"""Calls added to the log from Twilio's Calls list (ivr.messages.call_recovery): their path is not known, only
that they happened, from whom, when and how long."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.store.tables import CallRow


@dataclass(frozen=True)
class RecoveredCall:
    call_sid: str
    business_id: int
    to_number: str
    from_number: str
    started_at: datetime
    ended_at: datetime
    duration_s: int | None
    outcome: str | None


def logged_of(session: Session, call_sids: list[str]) -> set[str]:
    """Which of these calls the log has."""
    if not call_sids:
        return set()
    return set(session.scalars(select(CallRow.call_sid).where(CallRow.call_sid.in_(call_sids))))


def add(session: Session, calls: list[RecoveredCall]) -> None:
    for call in calls:
        session.add(
            CallRow(
                call_sid=call.call_sid,
                business_id=call.business_id,
                to_number=call.to_number,
                from_number=call.from_number,
                started_at=call.started_at,
                path=[],
                outcome=call.outcome,
                ended_at=call.ended_at,
                duration_s=call.duration_s,
                recovered=True,
            )
        )

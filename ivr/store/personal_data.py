"""What Greetline stores about callers, found and deleted by one `Scope` (issue 24): a business's rows from before
an instant (retention), or every row of one caller's number (erasure and export).

Each kind has its finder and its deleter here; the deletions also remove the kind's jobs (a delivery's address is
staff's, but its subject names the message), so nothing points at a row that is gone.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, true, update
from sqlalchemy.orm import Session

from ivr.store.console_events import ConsoleEventRow
from ivr.store.tables import CallbackRequestRow, CallNoteRow, CallRow, JobRow, RecordingRow, TextBackRow


@dataclass(frozen=True)
class Scope:
    """`business_id` None: what is stored without a business (calls to a number no business has). `before`: only
    what is older; `caller`: only that number's (E.164)."""

    business_id: int | None
    before: datetime | None = None
    caller: str | None = None


@dataclass(frozen=True)
class StoredAudio:
    """A voicemail whose audio may be in our store and still at Twilio."""

    recording_sid: str
    url: str


def _business(column: Any, scope: Scope) -> ColumnElement[bool]:
    found: ColumnElement[bool] = column.is_(None) if scope.business_id is None else column == scope.business_id
    return found


def _calls_of_caller(scope: Scope) -> Any:
    return select(CallRow.call_sid).where(_business(CallRow.business_id, scope), CallRow.from_number == scope.caller)


def _recordings(scope: Scope) -> ColumnElement[bool]:
    found = _business(RecordingRow.business_id, scope)
    if scope.before is not None:
        found = found & (RecordingRow.received_at < scope.before)
    if scope.caller is not None:
        # The status callback carries no From: a message is the caller's by its own number or by its call's.
        found = found & or_(
            RecordingRow.from_number == scope.caller, RecordingRow.call_sid.in_(_calls_of_caller(scope))
        )
    return found


def _calls(scope: Scope) -> ColumnElement[bool]:
    found = _business(CallRow.business_id, scope)
    if scope.before is not None:
        found = found & (CallRow.started_at < scope.before)
    if scope.caller is not None:
        found = found & (CallRow.from_number == scope.caller)
    return found


def _notes(scope: Scope) -> ColumnElement[bool]:
    if scope.business_id is None:  # a note always belongs to a business
        return ~true()
    found = CallNoteRow.business_id == scope.business_id
    if scope.before is not None:
        found = found & (CallNoteRow.created_at < scope.before)
    if scope.caller is not None:
        found = found & (CallNoteRow.caller_number == scope.caller)
    return found


def _asked_by(table: type[CallbackRequestRow] | type[TextBackRow], scope: Scope) -> ColumnElement[bool]:
    """A callback request or a text back: each belongs to a business and names the caller's number."""
    if scope.business_id is None:
        return ~true()
    found = table.business_id == scope.business_id
    if scope.before is not None:
        found = found & (table.created_at < scope.before)
    if scope.caller is not None:
        found = found & (table.caller_number == scope.caller)
    return found


def _forget_jobs(session: Session, subjects: list[str]) -> None:
    if subjects:
        session.execute(delete(JobRow).where(JobRow.subject.in_(subjects)))


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def voicemail_audio(session: Session, scope: Scope) -> list[StoredAudio]:
    rows = session.execute(select(RecordingRow.recording_sid, RecordingRow.url).where(_recordings(scope)))
    return [StoredAudio(sid, url) for sid, url in rows]


def delete_recordings(session: Session, recording_sids: list[str]) -> int:
    """The messages' rows (their transcripts with them) and their deliveries."""
    if not recording_sids:
        return 0
    _forget_jobs(session, recording_sids)
    return _count(session.execute(delete(RecordingRow).where(RecordingRow.recording_sid.in_(recording_sids))))


def forget_transcripts(session: Session, scope: Scope) -> int:
    """The words of the messages in scope; the messages themselves stay (a transcript may expire first)."""
    result = session.execute(
        update(RecordingRow)
        .where(_recordings(scope), RecordingRow.transcript.is_not(None))
        .values(transcript=None, transcript_language=None, transcript_confidence=None, transcript_cut_short=None)
        .execution_options(synchronize_session=False)
    )
    return _count(result)


def delete_notes(session: Session, scope: Scope) -> int:
    ids = list(session.scalars(select(CallNoteRow.note_id).where(_notes(scope))))
    if not ids:
        return 0
    _forget_jobs(session, ids)
    return _count(session.execute(delete(CallNoteRow).where(CallNoteRow.note_id.in_(ids))))


def delete_callback_requests(session: Session, scope: Scope) -> int:
    ids = list(session.scalars(select(CallbackRequestRow.id).where(_asked_by(CallbackRequestRow, scope))))
    if not ids:
        return 0
    _forget_jobs(session, [f"callback-{id_}" for id_ in ids])  # the subject its deliveries are queued under
    return _count(session.execute(delete(CallbackRequestRow).where(CallbackRequestRow.id.in_(ids))))


def delete_text_backs(session: Session, scope: Scope) -> int:
    """The texts sent back; their jobs are the call's (subject: its call sid) and go with the call."""
    return _count(session.execute(delete(TextBackRow).where(_asked_by(TextBackRow, scope))))


def delete_calls(session: Session, scope: Scope) -> int:
    """The calls, their deliveries, and their pop-ups on the answering service's console (kept a day at most)."""
    sids = list(session.scalars(select(CallRow.call_sid).where(_calls(scope))))
    if not sids:
        return 0
    _forget_jobs(session, sids)
    session.execute(delete(ConsoleEventRow).where(ConsoleEventRow.call_sid.in_(sids)))
    return _count(session.execute(delete(CallRow).where(CallRow.call_sid.in_(sids))))


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _row(row: Any, skip: tuple[str, ...] = ()) -> dict[str, object]:
    return {column.key: _plain(getattr(row, column.key)) for column in row.__table__.columns if column.key not in skip}


def everything_about(session: Session, scope: Scope) -> dict[str, list[dict[str, object]]]:
    """Every row about the caller in scope, column by column (the export hands over what is stored, as stored)."""
    return {
        "calls": [_row(r) for r in session.scalars(select(CallRow).where(_calls(scope)).order_by(CallRow.started_at))],
        "voicemails": [
            _row(r, skip=("url",))  # Twilio's address needs our credentials: no use to the caller
            for r in session.scalars(select(RecordingRow).where(_recordings(scope)).order_by(RecordingRow.received_at))
        ],
        "call_notes": [
            _row(r) for r in session.scalars(select(CallNoteRow).where(_notes(scope)).order_by(CallNoteRow.created_at))
        ],
        "callback_requests": [
            _row(r)
            for r in session.scalars(
                select(CallbackRequestRow)
                .where(_asked_by(CallbackRequestRow, scope))
                .order_by(CallbackRequestRow.created_at)
            )
        ],
        "text_backs": [
            _row(r)
            for r in session.scalars(
                select(TextBackRow).where(_asked_by(TextBackRow, scope)).order_by(TextBackRow.created_at)
            )
        ],
    }

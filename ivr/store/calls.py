"""The call log: one row per call, its path through the flow and how it ended."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, Integer, bindparam, insert, select, update
from sqlalchemy.orm import Session

from ivr.callflow.timeline import Mark, Stage
from ivr.store import call_progress, figure_rollup
from ivr.store.tables import CallRow


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
    # The ring count the call's dial rang with and the voicemail box it ended in, as they were then (None: the call
    # dialled nobody / left no message, or was logged before these were kept).
    rings: int | None = None
    box: str | None = None
    simulated: bool = False
    # Why it ended (ivr.callflow.end_reasons.EndReason; None while it goes on), and the seconds from its first ring
    # to a person (None: nobody answered, or logged before this was kept).
    end_reason: str | None = None
    person_s: float | None = None
    # The caller chose an emergency option.
    urgent: bool = False
    # Added from Twilio's Calls list, its steps lost (ivr.messages.call_recovery): its path is not known.
    recovered: bool = False
    # Where each stage began, in seconds from the call's start (ivr.callflow.timeline). Read back by `get` only: the
    # lists (`recent`, ivr.store.call_figures) leave them out, nothing they show needs them.
    marks: tuple[Mark, ...] = ()


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
        row.rings,
        row.box,
        row.simulated,
        row.end_reason,
        row.person_s,
        row.urgent,
        row.recovered,
        tuple((Stage(stage), float(start_s)) for stage, start_s in row.marks or ()),
    )


@dataclass(frozen=True)
class CallStep:
    """A webhook's decision for a call: its path label, the outcome if that decision settled it, the ring count
    if it dialled, the voicemail box if it began a message."""

    call_sid: str
    business_id: int | None
    to_number: str
    from_number: str
    at: datetime
    path: str
    outcome: str | None
    rings: int | None = None
    box: str | None = None
    # Made by the simulator: the call's row is marked (a step of an existing call does not change the mark).
    simulated: bool = False
    # Where the stages of this answer begin, in seconds from `at` (ivr.callflow.timeline.stage_marks).
    marks: tuple[Mark, ...] = field(default=())
    # When a person took the call (a phone answered the dial), if this step knows.
    answered_at: datetime | None = None
    # This step is the caller choosing an emergency option (ivr.callflow.end_reasons.takes_emergency_option).
    urgent: bool = False
    # What the caller heard, when the marks and the flag above are still to be worked out from it (by the writer).
    heard: call_progress.Heard | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CallEnd:
    """Twilio's final status callback; a call that reached no outcome was hung up by the caller."""

    call_sid: str
    at: datetime
    duration_s: int | None
    hung_up: str


CallEntry = CallStep | CallEnd

# The call log's columns a call's writer fills (the bulk import, ivr.store.call_import, writes the same).
WRITTEN_COLUMNS = (
    "call_sid",
    "business_id",
    "to_number",
    "from_number",
    "started_at",
    "path",
    "outcome",
    "ended_at",
    "duration_s",
    "rings",
    "box",
    "simulated",
    "end_reason",
    "marks",
    "person_s",
    "urgent",
)
# What a later step or the call's end may change.
_CHANGING = ("path", "outcome", "ended_at", "duration_s", "rings", "box", "end_reason", "marks", "person_s", "urgent")
_UPDATE = (
    update(CallRow)
    .where(CallRow.call_sid == bindparam("sid"))
    .values(
        path=bindparam("path"),
        outcome=bindparam("outcome"),
        ended_at=bindparam("ended_at"),
        duration_s=bindparam("duration_s"),
        rings=bindparam("rings"),
        box=bindparam("box"),
        end_reason=bindparam("end_reason"),
        marks=bindparam("marks"),
        person_s=bindparam("person_s"),
        urgent=bindparam("urgent"),
    )
)


def write_entries(
    connection: Connection, entries: list[CallEntry], heard: call_progress.HeardMarks | None = None
) -> None:
    """Apply a batch of log entries in three statements: read the calls, insert the new, update the rest.

    A step repeated back to back (Twilio retried a webhook) is stored once. The ring count kept is the first dial's
    (the one an unanswered call's "after N rings" is about); the box is the latest a step named. `heard`: where the
    stage marks of what callers heard are worked out (the writer keeps one, so an answer many callers hear is
    worked out once).
    """
    heard = heard or call_progress.HeardMarks()
    sids = sorted({entry.call_sid for entry in entries})
    columns = [getattr(CallRow, name) for name in WRITTEN_COLUMNS]
    # .all(): iterating the result fetched a row at a time, a driver call each (a fifth of the writer, issue 25).
    rows = connection.execute(select(*columns).where(CallRow.call_sid.in_(sids))).all()
    calls: dict[str, dict[str, Any]] = {
        row.call_sid: {**row._asdict(), "path": list(row.path), "marks": list(row.marks or [])} for row in rows
    }
    existing = set(calls)
    before = [dict(call) for call in calls.values()]
    for entry in entries:
        call = calls.get(entry.call_sid)
        if isinstance(entry, CallStep):
            marks, urgent = heard.of(entry.heard, entry.path, entry.marks, entry.urgent)
            if call is None:
                calls[entry.call_sid] = {
                    "call_sid": entry.call_sid,
                    "business_id": entry.business_id,
                    "to_number": entry.to_number,
                    "from_number": entry.from_number,
                    "started_at": entry.at,
                    "path": [entry.path],
                    "outcome": entry.outcome,
                    "ended_at": None,
                    "duration_s": None,
                    "rings": entry.rings,
                    "box": entry.box,
                    "simulated": entry.simulated,
                    "end_reason": None,
                    "marks": [],
                    "person_s": None,
                    "urgent": urgent,
                }
                call_progress.add_marks(calls[entry.call_sid], entry.at, marks)
                call_progress.add_answer(calls[entry.call_sid], entry.answered_at)
                continue
            if not call["path"] or call["path"][-1] != entry.path:
                call["path"].append(entry.path)
            call["outcome"] = entry.outcome or call["outcome"]
            call["rings"] = call["rings"] or entry.rings
            call["box"] = entry.box or call["box"]
            call["urgent"] = call["urgent"] or urgent
            call_progress.add_marks(call, entry.at, marks)
            call_progress.add_answer(call, entry.answered_at)
        elif call is not None:
            call["ended_at"], call["duration_s"] = entry.at, entry.duration_s
            call["outcome"] = call["outcome"] or entry.hung_up
    for call in calls.values():
        call_progress.decide(call)
        call["marks"] = call["marks"] or None
    new = [call for sid, call in calls.items() if sid not in existing]
    changed = [{**call, "sid": sid} for sid, call in calls.items() if sid in existing]
    if new:
        connection.execute(insert(CallRow), new)
    if changed:
        connection.execute(
            _UPDATE,
            [{"sid": call["sid"], **{key: call[key] for key in _CHANGING}} for call in changed],
        )
    figure_rollup.add(connection, figure_rollup.changes(before, calls.values()))


# Entries written per statement at most: a long spill is stored in several, in the same transaction.
WRITE_BATCH = 1000


def write_batches(
    connection: Connection, entries: list[CallEntry], heard: call_progress.HeardMarks | None = None
) -> None:
    for start in range(0, len(entries), WRITE_BATCH):
        write_entries(connection, entries[start : start + WRITE_BATCH], heard)


def settled(entry: CallEntry, heard: call_progress.HeardMarks | None = None) -> CallEntry:
    """The entry with the stage marks and the emergency flag worked out from what the caller heard (if not yet)."""
    if not isinstance(entry, CallStep) or entry.heard is None:
        return entry
    marks, urgent = (heard or call_progress.HeardMarks()).of(entry.heard, entry.path, entry.marks, entry.urgent)
    return replace(entry, marks=marks, urgent=urgent, heard=None)


def get(session: Session, call_sid: str) -> LoggedCall | None:
    row = session.get(CallRow, call_sid)
    return _logged(row) if row else None


# The columns of a LoggedCall, read as plain rows: building ORM objects for a page of 50 took a fifth of the call
# log's time (profiled, issue 12).
LOGGED_COLUMNS = (
    CallRow.call_sid,
    CallRow.business_id,
    CallRow.to_number,
    CallRow.from_number,
    CallRow.started_at,
    CallRow.path,
    CallRow.outcome,
    CallRow.ended_at,
    CallRow.duration_s,
    CallRow.rings,
    CallRow.box,
    CallRow.simulated,
    CallRow.end_reason,
    CallRow.person_s,
    CallRow.urgent,
    CallRow.recovered,
)


def recent(
    connection: Connection,
    business_id: int,
    limit: int = 50,
    since: datetime | None = None,
    until: datetime | None = None,
    outcome: str | None = None,
    *,
    with_simulated: bool = False,
    caller: str | None = None,
    reason: str | None = None,
) -> list[LoggedCall]:
    """A business's newest calls; simulated ones only for a list that marks them (the call log, the API), never for
    a count or a summary. `caller`: digits found anywhere in the caller's number; `reason`: an end reason."""
    values = {
        "business_id": business_id,
        "limit": limit,
        "since": since,
        "until": until,
        "outcome": outcome,
        "caller": _caller_pattern(caller) if caller else None,
        "reason": reason,
    }
    filters = tuple(name for name in ("since", "until", "outcome", "caller", "reason") if values[name] is not None)
    query = _recent_query(filters, with_simulated)
    # fetchall: iterating the result fetched the page a row at a time, a driver call each (profiled, issue 12).
    return [LoggedCall(*row) for row in connection.execute(query, values).all()]


def _caller_pattern(typed: str) -> str | None:
    """Digits typed as people write a number ("06 1234 5678", "+31 6 ...") found inside the stored E.164 number."""
    digits = "".join(char for char in typed if char.isdigit()).lstrip("0")
    return f"%{digits}%" if digits else None


_FILTERS = {
    "since": CallRow.started_at >= bindparam("since"),
    "until": CallRow.started_at < bindparam("until"),
    "outcome": CallRow.outcome == bindparam("outcome"),
    "caller": CallRow.from_number.like(bindparam("caller")),
    "reason": CallRow.end_reason == bindparam("reason"),
}


@cache
def _recent_query(filters: tuple[str, ...], with_simulated: bool) -> Executable:
    """Built once for each combination of filters: building it cost as much as running it (issue 12)."""
    query = select(*LOGGED_COLUMNS).where(CallRow.business_id == bindparam("business_id"))
    if not with_simulated:
        query = query.where(CallRow.simulated.is_(False))
    for name in filters:
        query = query.where(_FILTERS[name])
    return query.order_by(CallRow.started_at.desc()).limit(bindparam("limit", type_=Integer))

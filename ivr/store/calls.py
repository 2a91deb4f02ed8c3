"""The call log: one row per call, its path through the flow and how it ended."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, Integer, bindparam, insert, select, update
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
    # The ring count the call's dial rang with and the voicemail box it ended in, as they were then (None: the call
    # dialled nobody / left no message, or was logged before these were kept).
    rings: int | None = None
    box: str | None = None
    simulated: bool = False
    # Added from Twilio's Calls list, its steps lost (ivr.messages.call_recovery): its path is not known.
    recovered: bool = False


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
        row.recovered,
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


@dataclass(frozen=True)
class CallEnd:
    """Twilio's final status callback; a call that reached no outcome was hung up by the caller."""

    call_sid: str
    at: datetime
    duration_s: int | None
    hung_up: str


CallEntry = CallStep | CallEnd

_COLUMNS = (
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
)
# What a later step or the call's end may change.
_CHANGING = ("path", "outcome", "ended_at", "duration_s", "rings", "box")
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
    )
)


def write_entries(connection: Connection, entries: list[CallEntry]) -> None:
    """Apply a batch of log entries in three statements: read the calls, insert the new, update the rest.

    A step repeated back to back (Twilio retried a webhook) is stored once. The ring count kept is the first dial's
    (the one an unanswered call's "after N rings" is about); the box is the latest a step named.
    """
    sids = sorted({entry.call_sid for entry in entries})
    columns = [getattr(CallRow, name) for name in _COLUMNS]
    rows = connection.execute(select(*columns).where(CallRow.call_sid.in_(sids)))
    calls: dict[str, dict[str, Any]] = {row.call_sid: {**row._asdict(), "path": list(row.path)} for row in rows}
    existing = set(calls)
    for entry in entries:
        call = calls.get(entry.call_sid)
        if isinstance(entry, CallStep):
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
                }
                continue
            if not call["path"] or call["path"][-1] != entry.path:
                call["path"].append(entry.path)
            call["outcome"] = entry.outcome or call["outcome"]
            call["rings"] = call["rings"] or entry.rings
            call["box"] = entry.box or call["box"]
        elif call is not None:
            call["ended_at"], call["duration_s"] = entry.at, entry.duration_s
            call["outcome"] = call["outcome"] or entry.hung_up
    new = [call for sid, call in calls.items() if sid not in existing]
    changed = [{**call, "sid": sid} for sid, call in calls.items() if sid in existing]
    if new:
        connection.execute(insert(CallRow), new)
    if changed:
        connection.execute(
            _UPDATE,
            [{"sid": call["sid"], **{key: call[key] for key in _CHANGING}} for call in changed],
        )


# Calls sent to SQLite per executemany: bounds the memory of a million-call import.
IMPORT_CHUNK = 50_000


def import_calls(connection: Connection, logged: Iterable[LoggedCall]) -> int:
    """Add calls not stored yet, in bulk (a million in seconds): COPY on PostgreSQL, executemany on SQLite.

    The calls go past the ORM and its per-row work; values are converted as the columns convert them (the path as
    JSON, written once per distinct path), so they read back exactly like calls the writer stored. Returns how many
    were added.
    """
    names = ", ".join(_COLUMNS)
    encoded: dict[tuple[str, ...], str] = {}

    def path_json(path: list[str]) -> str:
        key = tuple(path)
        text = encoded.get(key)
        if text is None:
            text = encoded[key] = json.dumps(path)
        return text

    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("SET LOCAL statement_timeout = 0")  # a request's bound, not an import's (this transaction)
        count = 0
        with cursor.copy(f"COPY calls ({names}) FROM STDIN") as copy:
            for c in logged:
                path = path_json(c.path)
                copy.write_row(
                    (
                        c.call_sid,
                        c.business_id,
                        c.to_number,
                        c.from_number,
                        c.started_at,
                        path,
                        c.outcome,
                        c.ended_at,
                        c.duration_s,
                        c.rings,
                        c.box,
                        c.simulated,
                    )
                )
                count += 1
        return count
    dialect = connection.dialect
    convert = CallRow.__table__.c.started_at.type.dialect_impl(dialect).bind_processor(dialect)

    def time_of(moment: datetime) -> Any:
        return convert(moment) if convert else moment

    insert_sql = f"INSERT INTO calls ({names}) VALUES ({', '.join('?' * len(_COLUMNS))})"
    count = 0
    rows: list[tuple[Any, ...]] = []
    for c in logged:
        ended = time_of(c.ended_at) if c.ended_at else None
        path = path_json(c.path)
        rows.append(
            (
                c.call_sid,
                c.business_id,
                c.to_number,
                c.from_number,
                time_of(c.started_at),
                path,
                c.outcome,
                ended,
                c.duration_s,
                c.rings,
                c.box,
                c.simulated,
            )
        )
        if len(rows) == IMPORT_CHUNK:
            connection.exec_driver_sql(insert_sql, rows)
            count, rows = count + len(rows), []
    if rows:
        connection.exec_driver_sql(insert_sql, rows)
    return count + len(rows)


def get(session: Session, call_sid: str) -> LoggedCall | None:
    row = session.get(CallRow, call_sid)
    return _logged(row) if row else None


# The columns of a LoggedCall, read as plain rows: building ORM objects for a page of 50 took a fifth of the call
# log's time (profiled, issue 12).
_LOGGED_COLUMNS = (
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
) -> list[LoggedCall]:
    """A business's newest calls; simulated ones only for a list that marks them (the call log, the API), never for
    a count or a summary."""
    values = {"business_id": business_id, "limit": limit, "since": since, "until": until, "outcome": outcome}
    query = _recent_query(since is not None, until is not None, outcome is not None, with_simulated)
    # fetchall: iterating the result fetched the page a row at a time, a driver call each (profiled, issue 12).
    return [LoggedCall(*row) for row in connection.execute(query, values).all()]


@cache
def _recent_query(since: bool, until: bool, outcome: bool, with_simulated: bool) -> Executable:
    """Built once for each combination of filters: building it cost as much as running it (issue 12)."""
    query = select(*_LOGGED_COLUMNS).where(CallRow.business_id == bindparam("business_id"))
    if not with_simulated:
        query = query.where(CallRow.simulated.is_(False))
    if since:
        query = query.where(CallRow.started_at >= bindparam("since"))
    if until:
        query = query.where(CallRow.started_at < bindparam("until"))
    if outcome:
        query = query.where(CallRow.outcome == bindparam("outcome"))
    return query.order_by(CallRow.started_at.desc()).limit(bindparam("limit", type_=Integer))


def save_recording(
    session: Session,
    *,
    recording_sid: str,
    call_sid: str,
    business_id: int | None,
    url: str,
    duration_s: int | None,
    status: str,
    received_at: datetime,
    box: str | None = None,
    from_number: str | None = None,
    route: tuple[str, ...] = (),
    rings: int | None = None,
) -> bool:
    """Store a voicemail recording's callback once; Twilio retries callbacks, so a repeat changes nothing.

    Returns whether it was new.
    """
    existing = session.get(RecordingRow, recording_sid)
    if existing is not None:
        # The <Record> action carries the caller's number; the status callback, often first, does not.
        existing.from_number = existing.from_number or from_number
        existing.route = existing.route or list(route) or None
        existing.rings = existing.rings or rings
        return False
    session.add(
        RecordingRow(
            recording_sid=recording_sid,
            call_sid=call_sid,
            business_id=business_id,
            url=url,
            duration_s=duration_s,
            status=status,
            received_at=received_at,
            box=box,
            from_number=from_number,
            route=list(route) or None,
            rings=rings,
        )
    )
    return True


@dataclass(frozen=True)
class StoredRecording:
    recording_sid: str
    call_sid: str
    business_id: int | None
    box: str | None
    url: str
    duration_s: int | None
    from_number: str | None
    received_at: datetime
    audio_name: str | None
    # The route its webhooks carried and the ring count then (empty and None for a message taken in before they were
    # kept, or by the reconciler).
    route: tuple[str, ...] = ()
    rings: int | None = None
    # Its words (ivr.store.transcripts); status None when no engine was set.
    transcript_status: str | None = None
    transcript: str | None = None
    transcript_language: str | None = None
    transcript_cut_short: bool = False
    urgent: bool = False


def get_recording(session: Session, recording_sid: str) -> StoredRecording | None:
    row = session.get(RecordingRow, recording_sid)
    if row is None:
        return None
    return StoredRecording(
        row.recording_sid,
        row.call_sid,
        row.business_id,
        row.box,
        row.url,
        row.duration_s,
        row.from_number,
        row.received_at,
        row.audio_name,
        tuple(row.route or ()),
        row.rings,
        row.transcript_status,
        row.transcript,
        row.transcript_language,
        bool(row.transcript_cut_short),
        bool(row.urgent),
    )


def recording_kept(session: Session, recording_sid: str, audio_name: str, now: datetime) -> None:
    """Our private copy of the audio is stored and checked."""
    session.execute(
        update(RecordingRow)
        .where(RecordingRow.recording_sid == recording_sid)
        .values(audio_name=audio_name, stored_at=now)
    )

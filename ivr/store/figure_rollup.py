"""The call log counted per business and UTC hour, kept beside the calls so the statistics never read every call.

Each call adds one to a few counters (`counted`): its end reason, in the hour it began; and in its UTC day, when a
person answered, the 5-second bin of its wait and whether within 30 s; when it took an emergency option, that too;
when the caller hung up before a person, the stage and the bin of the second. A change to a call takes its old counts
off and adds its new ones (`changes`), in the transaction that stores the call. Test calls and calls to unknown
numbers count nowhere.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection

from ivr.callflow.end_reasons import HUNG_UP
from ivr.figures.statistics import BIN_S, LAST_BIN_S, URGENT_WITHIN_S
from ivr.store.tables import CallFigureRow

# Waits and hang-up seconds in the charts' bins; calls within the Dutch GP norm's 30 s are counted apart.
WITHIN_S = float(URGENT_WITHIN_S)
_HUNG_UP = {reason.value for reason in HUNG_UP}


class Kind(StrEnum):
    REASON = "reason"  # label: the end reason ("" while the call goes on)
    PERSON = "person"  # label: the bin of seconds from the first ring to a person
    WITHIN = "within"  # label "": answered within 30 s
    URGENT = "urgent"  # label "all" or "within": emergency-option calls, and those answered within 30 s
    HANG_UP = "hangup"  # label: the hung-up end reason
    HANG_UP_S = "hangup_s"  # label: the bin of the second the caller hung up


Key = tuple[int, datetime, str, str]


def bin_of(seconds: float) -> int:
    return min(int(max(seconds, 0.0)) // BIN_S * BIN_S, LAST_BIN_S)


def counted(call: Mapping[str, Any]) -> list[Key]:
    """The counters one call adds to; `call` has the call log's column names."""
    business_id = call["business_id"]
    if business_id is None or call["simulated"]:
        return []
    moment: datetime = call["started_at"]
    if moment.tzinfo is None:  # read past the Instant type (a migration): the log's times are UTC
        moment = moment.replace(tzinfo=UTC)
    hour = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    # The distributions are summed over four weeks, never drawn by hour: one counter per UTC day keeps them to a
    # few hundred (by hour they were two thirds of the 23,000 counters of 200,000 calls).
    day = hour.replace(hour=0)
    reason, person_s = call["end_reason"] or "", call["person_s"]
    keys = [(business_id, hour, Kind.REASON.value, reason)]
    if person_s is not None:
        keys.append((business_id, day, Kind.PERSON.value, str(bin_of(person_s))))
        if person_s <= WITHIN_S:
            keys.append((business_id, day, Kind.WITHIN.value, ""))
    if call.get("urgent"):
        keys.append((business_id, day, Kind.URGENT.value, "all"))
        if person_s is not None and person_s <= WITHIN_S:
            keys.append((business_id, day, Kind.URGENT.value, "within"))
    if reason in _HUNG_UP:
        keys.append((business_id, day, Kind.HANG_UP.value, reason))
        keys.append((business_id, day, Kind.HANG_UP_S.value, str(bin_of(call["duration_s"] or 0))))
    return keys


def changes(before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]) -> Counter[Key]:
    """What storing `after` in place of `before` does to the counters (zero changes left out)."""
    delta: Counter[Key] = Counter()
    for call in before:
        delta.subtract(counted(call))
    for call in after:
        delta.update(counted(call))
    return Counter({key: count for key, count in delta.items() if count})


def add(connection: Connection, delta: Mapping[Key, int]) -> None:
    """One statement: each counter inserted, or raised by its delta where it exists (both databases' upsert)."""
    if not delta:
        return
    # Imported here: the engine has loaded its own dialect already, and a server on SQLite never needs PostgreSQL's
    # (1.4 MB of its idle memory, issue 12).
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(CallFigureRow)
    statement = statement.on_conflict_do_update(
        index_elements=["business_id", "kind", "hour", "label"],
        set_={"calls": CallFigureRow.calls + statement.excluded.calls},
    )
    rows = [
        {"business_id": business_id, "hour": hour, "kind": kind, "label": label, "calls": count}
        for (business_id, hour, kind, label), count in sorted(delta.items())
    ]
    connection.execute(statement, rows)

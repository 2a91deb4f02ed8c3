"""Calls added in bulk (a log moved from elsewhere, the benchmarks' millions), past the call-log writer."""

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection

from ivr.store import figure_rollup
from ivr.store.calls import WRITTEN_COLUMNS, LoggedCall
from ivr.store.tables import CallRow

# The writer's columns, and `recovered`: the writer never sets it (ivr.store.recovered_calls does), an import keeps it.
_COLUMNS = (*WRITTEN_COLUMNS, "recovered")
_FIELDS = attrgetter(*_COLUMNS)
# The columns whose values are converted on the way in, as the table's column types would.
_PATH, _STARTED, _ENDED, _MARKS = (_COLUMNS.index(name) for name in ("path", "started_at", "ended_at", "marks"))


def _values(c: LoggedCall, path: str, started: Any, ended: Any) -> tuple[Any, ...]:
    values = list(_FIELDS(c))
    marks = json.dumps([[stage.value, start_s] for stage, start_s in c.marks]) if c.marks else None
    values[_PATH], values[_STARTED], values[_ENDED], values[_MARKS] = path, started, ended, marks
    return tuple(values)


# Calls sent to SQLite per executemany: bounds the memory of a million-call import.
IMPORT_CHUNK = 50_000


def import_calls(connection: Connection, logged: Iterable[LoggedCall]) -> int:
    """Add calls not stored yet, in bulk (a million in seconds): COPY on PostgreSQL, executemany on SQLite.

    The calls go past the ORM and its per-row work; values are converted as the columns convert them (the path as
    JSON, written once per distinct path), so they read back exactly like calls the writer stored. Returns how many
    were added. The statistics' counters (ivr.store.figure_rollup) are raised for them in the same transaction.
    """
    delta: Counter[figure_rollup.Key] = Counter()

    def counting(found: Iterable[LoggedCall]) -> Iterator[LoggedCall]:
        for call in found:
            delta.update(figure_rollup.counted(asdict(call)))
            yield call

    count = _imported(connection, counting(logged))
    figure_rollup.add(connection, delta)
    return count


def _imported(connection: Connection, logged: Iterable[LoggedCall]) -> int:
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
                copy.write_row(_values(c, path, c.started_at, c.ended_at))
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
        rows.append(_values(c, path, time_of(c.started_at), ended))
        if len(rows) == IMPORT_CHUNK:
            connection.exec_driver_sql(insert_sql, rows)
            count, rows = count + len(rows), []
    if rows:
        connection.exec_driver_sql(insert_sql, rows)
    return count + len(rows)

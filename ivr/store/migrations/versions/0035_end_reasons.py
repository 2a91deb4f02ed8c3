"""Why each call ended (issue 23): the end reason, the stages the caller passed through, the seconds from the first
ring to a person and whether the caller chose an emergency option, kept per call; the statistics' counters per
business and hour (call_figures); and an index the CSV export pages through. Calls logged before get their end
reason from their outcome and path, and are counted.

The older calls have no stage marks, so a caller who hung up is placed by the path alone (the welcome, the menu, the
ringing or a voicemail box), and no time to a person: neither can be known afterwards. An emergency option is found
in their path by the business's menu as it is now.

Revision ID: 0035
Revises: 0031
"""

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

revision = "0035"
down_revision = "0031"

# Calls read and updated per round of the backfill: bounded memory on a log of millions.
BACKFILL_BATCH = 5000

_calls = sa.table(
    "calls",
    sa.column("call_sid", sa.String),
    sa.column("business_id", sa.Integer),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("outcome", sa.String),
    sa.column("path", sa.JSON),
    sa.column("simulated", sa.Boolean),
    sa.column("duration_s", sa.Integer),
    sa.column("end_reason", sa.String),
    sa.column("urgent", sa.Boolean),
)
_businesses = sa.table("businesses", sa.column("id", sa.Integer), sa.column("document", sa.JSON))
_figures = sa.table(
    "call_figures",
    sa.column("business_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("hour", sa.DateTime(timezone=True)),
    sa.column("label", sa.String),
    sa.column("calls", sa.Integer),
)

# What follows is the product's logic (ivr.callflow.end_reasons, ivr.store.figure_rollup) as it was when the head was
# 0050, frozen here: a later change to either must not rewrite the history of a new install. Only what calls logged
# without stage marks or a time to a person need.

# The statistics' bins (ivr.figures.statistics): 5-second bins up to 60 s.
_BIN_S = 5
_LAST_BIN_S = 60
_HUNG_UP = {"hung_up_welcome", "hung_up_information", "hung_up_menu", "hung_up_ringing"}
# The hung-up reason by the stage the path's last label shows (a message or a voicemail box: nobody was free).
_BY_STAGE = {
    "welcome": "hung_up_welcome",
    "menu": "hung_up_menu",
    "ringing": "hung_up_ringing",
    "voicemail": "busy",
}


def _dial_status(label: str) -> str:
    """The status a dial ended with ("operators:busy>overflow:none" → busy), or empty."""
    return label.split(">", 1)[0].rsplit(":", 1)[-1]


def _stage_by_path(path: tuple[str, ...]) -> str:
    last = path[-1] if path else ""
    if last in ("welcome", "welcome+menu"):
        return "welcome"
    if last.startswith("menu:wrong:"):
        return "menu"
    if "voicemail" in last:
        return "voicemail"
    return "ringing"


def _end_reason(outcome: str | None, path: tuple[str, ...], simulated: bool) -> str | None:
    if simulated:
        return "simulated"
    if outcome == "blocked":
        return "blocked"
    if outcome == "callback":
        return "callback_requested"
    if outcome == "voicemail":
        return "message_left"
    if outcome == "overflow":
        return "answered_service"
    if outcome == "operator" or any(_dial_status(label) in ("completed", "answered") for label in path):
        whispered = any(label.startswith("whisper:") for label in path)
        return "answered_service" if whispered else "answered_staff"
    if outcome in ("fallback", "unknown number"):
        return "failed"
    first = path[0] if path else ""
    if first.startswith("closed:holiday"):
        return "holiday"
    if first.startswith("period:"):
        return "period"
    if first.startswith("closed:"):
        return "closed_no_message"
    if outcome == "missed":
        return "failed" if any(_dial_status(label) == "failed" for label in path) else "busy"
    if outcome == "hung up":
        return _BY_STAGE[_stage_by_path(path)]
    if outcome is None:
        return None
    return "failed"


def _takes_emergency_option(label: str, emergency_keys: tuple[str, ...]) -> bool:
    if label.startswith("emergency:"):
        return not label.startswith("emergency:wrong:")
    return label.startswith("menu:") and label.removeprefix("menu:") in emergency_keys


_Key = tuple[int, datetime, str, str]


def _counted(call: Mapping[str, Any]) -> list[_Key]:
    """The counters one call without a time to a person adds to."""
    business_id = call["business_id"]
    if business_id is None or call["simulated"]:
        return []
    moment: datetime = call["started_at"]
    if moment.tzinfo is None:  # SQLite keeps no zone: the log's times are UTC
        moment = moment.replace(tzinfo=UTC)
    hour = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    day = hour.replace(hour=0)
    reason = call["end_reason"] or ""
    keys = [(business_id, hour, "reason", reason)]
    if call["urgent"]:
        keys.append((business_id, day, "urgent", "all"))
    if reason in _HUNG_UP:
        second = max(call["duration_s"] or 0, 0)
        keys.append((business_id, day, "hangup", reason))
        keys.append((business_id, day, "hangup_s", str(min(second // _BIN_S * _BIN_S, _LAST_BIN_S))))
    return keys


def _add(connection: sa.Connection, delta: Mapping[_Key, int]) -> None:
    if not delta:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(_figures)
    statement = statement.on_conflict_do_update(
        index_elements=["business_id", "kind", "hour", "label"],
        set_={"calls": _figures.c.calls + statement.excluded.calls},
    )
    rows = [
        {"business_id": business_id, "hour": hour, "kind": kind, "label": label, "calls": count}
        for (business_id, hour, kind, label), count in sorted(delta.items())
    ]
    connection.execute(statement, rows)


def _emergency_keys(connection: sa.Connection) -> dict[int, tuple[str, ...]]:
    found = {}
    for id_, document in connection.execute(sa.select(_businesses.c.id, _businesses.c.document)):
        menu = (document or {}).get("menu") or []
        found[id_] = tuple(str(option.get("key")) for option in menu if option.get("emergency"))
    return found


def _backfill() -> None:
    connection = op.get_bind()
    keys = _emergency_keys(connection)
    columns = [_calls.c[name] for name in ("call_sid", "business_id", "started_at", "outcome", "path")]
    columns += [_calls.c.simulated, _calls.c.duration_s]
    update = (
        sa.update(_calls)
        .where(_calls.c.call_sid == sa.bindparam("sid"))
        .values(end_reason=sa.bindparam("reason"), urgent=sa.bindparam("is_urgent"))
    )
    counters: Counter[_Key] = Counter()
    after = ""
    while True:
        query = sa.select(*columns).where(_calls.c.call_sid > after).order_by(_calls.c.call_sid).limit(BACKFILL_BATCH)
        rows = connection.execute(query).all()
        if not rows:
            break
        changes: list[dict[str, Any]] = []
        for row in rows:
            path = tuple(row.path or ())
            reason = _end_reason(row.outcome, path, bool(row.simulated))
            urgent = any(_takes_emergency_option(label, keys.get(row.business_id, ())) for label in path)
            changes.append({"sid": row.call_sid, "reason": reason, "is_urgent": urgent})
            counters.update(_counted({**row._asdict(), "end_reason": reason, "urgent": urgent}))
        connection.execute(update, changes)
        after = rows[-1].call_sid
    _add(connection, counters)


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(32), nullable=True))
        batch.add_column(sa.Column("marks", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("person_s", sa.Float(), nullable=True))
        batch.add_column(sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_calls_business_started_sid", "calls", ["business_id", "started_at", "call_sid"])
    op.create_table(
        "call_figures",
        sa.Column("business_id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("hour", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("label", sa.String(32), primary_key=True),
        sa.Column("calls", sa.Integer(), nullable=False),
        sqlite_with_rowid=False,
    )
    _backfill()


def downgrade() -> None:
    op.drop_table("call_figures")
    op.drop_index("ix_calls_business_started_sid", table_name="calls")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("urgent")
        batch.drop_column("person_s")
        batch.drop_column("marks")
        batch.drop_column("end_reason")

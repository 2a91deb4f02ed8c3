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
from typing import Any

import sqlalchemy as sa
from alembic import op

from ivr.callflow.end_reasons import CallFacts, end_reason, takes_emergency_option
from ivr.store import figure_rollup

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
    counters: Counter[figure_rollup.Key] = Counter()
    after = ""
    while True:
        query = sa.select(*columns).where(_calls.c.call_sid > after).order_by(_calls.c.call_sid).limit(BACKFILL_BATCH)
        rows = connection.execute(query).all()
        if not rows:
            break
        changes: list[dict[str, Any]] = []
        for row in rows:
            path = tuple(row.path or ())
            reason = end_reason(CallFacts(row.outcome, path, bool(row.simulated), row.duration_s))
            urgent = any(takes_emergency_option(label, keys.get(row.business_id, ())) for label in path)
            changes.append({"sid": row.call_sid, "reason": reason.value if reason else None, "is_urgent": urgent})
            call = {**row._asdict(), "end_reason": changes[-1]["reason"], "person_s": None, "urgent": urgent}
            counters.update(figure_rollup.counted(call))
        connection.execute(update, changes)
        after = rows[-1].call_sid
    figure_rollup.add(connection, counters)


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

"""Why each call ended (issue 23): the end reason, the stages the caller passed through and the seconds from the first
ring to a person, kept per call; calls logged before get their end reason from their outcome and path.

The older calls have no stage marks, so a caller who hung up is placed by the path alone (the welcome, the menu, the
ringing or a voicemail box), and no time to a person: neither can be known afterwards.

Revision ID: 0035
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

from ivr.callflow.end_reasons import CallFacts, end_reason

revision = "0035"
down_revision = "0018"

# Calls read and updated per round of the backfill: bounded memory on a log of millions.
BACKFILL_BATCH = 5000

_calls = sa.table(
    "calls",
    sa.column("call_sid", sa.String),
    sa.column("outcome", sa.String),
    sa.column("path", sa.JSON),
    sa.column("simulated", sa.Boolean),
    sa.column("duration_s", sa.Integer),
    sa.column("end_reason", sa.String),
)


def _backfill() -> None:
    connection = op.get_bind()
    columns = (_calls.c.call_sid, _calls.c.outcome, _calls.c.path, _calls.c.simulated, _calls.c.duration_s)
    update = sa.update(_calls).where(_calls.c.call_sid == sa.bindparam("sid")).values(end_reason=sa.bindparam("reason"))
    after = ""
    while True:
        rows = connection.execute(
            sa.select(*columns)
            .where(_calls.c.call_sid > after, _calls.c.end_reason.is_(None))
            .order_by(_calls.c.call_sid)
            .limit(BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        changes = []
        for row in rows:
            facts = CallFacts(row.outcome, tuple(row.path or ()), bool(row.simulated), row.duration_s)
            reason = end_reason(facts)
            if reason is not None:
                changes.append({"sid": row.call_sid, "reason": reason.value})
        if changes:
            connection.execute(update, changes)
        after = rows[-1].call_sid


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(32), nullable=True))
        batch.add_column(sa.Column("marks", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("person_s", sa.Float(), nullable=True))
    op.create_index(
        "ix_calls_figures",
        "calls",
        ["business_id", "started_at", "simulated", "end_reason", "person_s", "duration_s"],
    )
    _backfill()


def downgrade() -> None:
    op.drop_index("ix_calls_figures", table_name="calls")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("person_s")
        batch.drop_column("marks")
        batch.drop_column("end_reason")

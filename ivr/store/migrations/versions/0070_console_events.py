"""The answering service's console (issue 26): each call put through to a service is an event with a sequence id,
kept a day, so a console that lost its connection is sent what it missed (SSE's Last-Event-ID); and the call a call
note was written for, when the console wrote it.

Revision ID: 0070
Revises: 0050
"""

import sqlalchemy as sa
from alembic import op

revision = "0070"
down_revision = "0050"


def upgrade() -> None:
    op.create_table(
        "console_events",
        # AUTOINCREMENT on SQLite: an id is never given twice, even after the newest rows were pruned, so a console's
        # last event id always means the same moment.
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("business_id", sa.Integer(), sa.ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("call_sid", sa.String(64), nullable=False),
        sa.Column("caller", sa.String(32), nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("key", sa.String(1), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_console_events_at", "console_events", ["at"])
    with op.batch_alter_table("call_notes") as batch:
        batch.add_column(sa.Column("call_sid", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("call_notes") as batch:
        batch.drop_column("call_sid")
    op.drop_index("ix_console_events_at", "console_events")
    op.drop_table("console_events")

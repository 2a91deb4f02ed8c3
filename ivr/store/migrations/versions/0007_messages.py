"""Messages left in voicemail boxes (the recordings table grows the box, the caller and our copy) and the jobs
table: the outbox the worker delivers from, one row per address or SMS number.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("recordings") as table:
        table.add_column(sa.Column("box", sa.String(64), nullable=True))
        table.add_column(sa.Column("from_number", sa.String(32), nullable=True))
        table.add_column(sa.Column("audio_name", sa.String(200), nullable=True))
        table.add_column(sa.Column("stored_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(100), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_jobs_due", "jobs", ["state", "next_attempt_at"])
    op.create_index("ix_jobs_subject", "jobs", ["subject"])
    op.create_index("ix_jobs_business_id", "jobs", ["business_id"])


def downgrade() -> None:
    op.drop_table("jobs")
    with op.batch_alter_table("recordings") as table:
        for column in ("stored_at", "audio_name", "from_number", "box"):
            table.drop_column(column)

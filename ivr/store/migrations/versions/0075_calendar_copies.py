"""A business's calendar feed as last read (issue 26): today's and tomorrow's events, when the feed was fetched,
and why the last fetch was refused if it was.

Revision ID: 0075
Revises: 0070
"""

import sqlalchemy as sa
from alembic import op

revision = "0075"
down_revision = "0070"


def upgrade() -> None:
    op.create_table(
        "calendar_copies",
        sa.Column("business_id", sa.Integer, sa.ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("events", sa.JSON, nullable=False),
        sa.Column("capped", sa.Boolean, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("problem", sa.String(32), nullable=True),
        sa.Column("problem_detail", sa.String(300), nullable=True),
    )
    op.create_index("ix_calendar_copies_changed_at", "calendar_copies", ["changed_at"])


def downgrade() -> None:
    op.drop_index("ix_calendar_copies_changed_at", "calendar_copies")
    op.drop_table("calendar_copies")

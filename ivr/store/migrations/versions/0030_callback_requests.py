"""Callback requests and the secret of each business's calendar feed of them (issue 23).

Revision ID: 0030
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0018"


def upgrade() -> None:
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("business_id", sa.Integer(), sa.ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("caller_number", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("call_sid", sa.String(64), nullable=True, unique=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_callback_requests_business_created", "callback_requests", ["business_id", "created_at"])
    op.create_table(
        "callback_feeds",
        sa.Column("business_id", sa.Integer(), sa.ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("callback_feeds")
    op.drop_index("ix_callback_requests_business_created", table_name="callback_requests")
    op.drop_table("callback_requests")

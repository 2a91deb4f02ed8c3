"""The texts sent back to missed mobile callers (issue 23): one per caller per business per day.

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"


def upgrade() -> None:
    op.create_table(
        "text_backs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("business_id", sa.Integer(), sa.ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("caller_number", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("call_sid", sa.String(64), nullable=False, unique=True),
    )
    op.create_index(
        "ix_text_backs_business_caller_created", "text_backs", ["business_id", "caller_number", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_text_backs_business_caller_created", table_name="text_backs")
    op.drop_table("text_backs")

"""The call log's page (a business's newest calls) read off one index instead of sorting all the business's calls.

The single-column index on business_id stays (the model declares it); the composite one serves the page.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_index("ix_calls_business_started", "calls", ["business_id", sa.text("started_at DESC")])


def downgrade() -> None:
    op.drop_index("ix_calls_business_started", table_name="calls")

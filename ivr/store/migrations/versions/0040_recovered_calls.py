"""Calls recovered from Twilio's Calls list (issue 24: no call lost from the log): a call whose steps were lost
with a killed server is added by the worker and marked, so the call log can say it knows the call but not its path.

Revision ID: 0040
Revises: 0035
"""

import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0035"


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("recovered", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("recovered")

"""Simulated calls (`greetline call`, issue 20 item 14) are logged like real ones but marked, so summaries, figures,
missed-call notes and the reconciler leave them out and the call log can say "test call".

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("simulated", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("simulated")

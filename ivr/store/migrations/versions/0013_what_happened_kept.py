"""The call log keeps what happened when it happened (issue 20, items 7 and 8).

A call keeps the ring count its dial rang with and the voicemail box it ended in, so a past call is not described
with today's settings. A recording keeps the route its webhooks carried (the path labels that led to the box) and
the ring count, so the e-mail about it never waits for the call log, which stores steps a moment later.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("rings", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("box", sa.String(64), nullable=True))
    with op.batch_alter_table("recordings") as batch:
        batch.add_column(sa.Column("route", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("rings", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        batch.drop_column("rings")
        batch.drop_column("route")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("box")
        batch.drop_column("rings")

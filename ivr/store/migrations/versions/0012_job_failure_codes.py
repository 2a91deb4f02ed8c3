"""A job's last failure as data beside its English line: a code and the values its words need.

The admin page's inbox says why a delivery failed in the visitor's language from these (issue 19, "problems as
data"); `last_error` keeps the English line for the API and the logs.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("last_error_code", sa.String(64), nullable=True))
        batch.add_column(sa.Column("last_error_values", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("last_error_values")
        batch.drop_column("last_error_code")

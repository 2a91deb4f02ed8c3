"""How a finished delivery went out: `printed` when no SMTP server or Twilio account was configured and the
console senders printed it (development mode, `make run`), so the inbox says "printed, not sent" instead of
"sent" (issue 21). Empty for a delivery that really went out, and for every job before this column.

Revision ID: 0050
Revises: 0048
"""

import sqlalchemy as sa
from alembic import op

revision = "0050"
down_revision = "0048"


def upgrade() -> None:
    op.add_column("jobs", sa.Column("done_as", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("jobs", "done_as")

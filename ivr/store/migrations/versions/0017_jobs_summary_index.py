"""The last daily summary queued per business (ivr.messages.summary_days) read off an index of its own.

When a worker starts, and each time a new day's summary falls due, it asks per business for the greatest subject
of its daily-summary jobs from a few days back, to send the days missed while no worker ran. Off the business_id
index that read every job of each business: 2.2 s with 10,000 businesses and 3 million jobs on SQLite; off this
index 0.28 s (measured, issue 20).

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    op.create_index("ix_jobs_kind_business_subject", "jobs", ["kind", "business_id", "subject"])


def downgrade() -> None:
    op.drop_index("ix_jobs_kind_business_subject", table_name="jobs")

"""Voicemail in words (issue 22): each recording's transcript beside it, deleted with it.

`transcript_status`: NULL when no engine was set (nothing to say), pending, done, failed, or no_speech (a recording
with no one speaking: not a message). `urgent`: the transcript holds one of the business's urgent words.

Revision ID: 0016
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"


def upgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        batch.add_column(sa.Column("transcript_status", sa.String(16), nullable=True))
        batch.add_column(sa.Column("transcript", sa.Text(), nullable=True))
        batch.add_column(sa.Column("transcript_language", sa.String(8), nullable=True))
        batch.add_column(sa.Column("transcript_confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("transcript_cut_short", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("urgent", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        for column in (
            "urgent",
            "transcript_cut_short",
            "transcript_confidence",
            "transcript_language",
            "transcript",
            "transcript_status",
        ):
            batch.drop_column(column)

"""Every stored version of a business document, with who changed it and when: the admin page's history.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("business_id", sa.Integer(), sa.ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(254), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_versions_business_id", "document_versions", ["business_id"])
    # The history starts with what each business has now.
    op.execute(
        "INSERT INTO document_versions (business_id, revision, document, changed_by, changed_at) "
        "SELECT id, revision, document, '', updated_at FROM businesses"
    )


def downgrade() -> None:
    op.drop_table("document_versions")

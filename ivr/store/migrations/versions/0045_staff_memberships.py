"""Roles (issue 24): a login belongs to one or more businesses, each with a role; existing logins become owners.

Revision ID: 0045
Revises: 0040
"""

import sqlalchemy as sa
from alembic import op

revision = "0045"
down_revision = "0040"


def upgrade() -> None:
    # The foreign keys come last: SQLite rebuilds staff_users to drop its column, and a cascading key would empty
    # the new table along with the old one.
    op.create_table(
        "staff_memberships",
        sa.Column("staff_id", sa.Integer(), primary_key=True),
        sa.Column("business_id", sa.Integer(), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_index("ix_staff_memberships_business_id", "staff_memberships", ["business_id"])
    # Before roles every login could do everything at its business: it stays so.
    op.execute(
        "INSERT INTO staff_memberships (staff_id, business_id, role) SELECT id, business_id, 'owner' FROM staff_users"
    )
    op.drop_index("ix_staff_users_business_id", table_name="staff_users")
    with op.batch_alter_table("staff_users") as table:
        table.drop_column("business_id")
    with op.batch_alter_table("staff_memberships") as table:
        table.create_foreign_key("fk_staff_memberships_staff", "staff_users", ["staff_id"], ["id"], ondelete="CASCADE")
        table.create_foreign_key(
            "fk_staff_memberships_business", "businesses", ["business_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as table:
        table.add_column(sa.Column("business_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE staff_users SET business_id = (SELECT MIN(business_id) FROM staff_memberships"
        " WHERE staff_memberships.staff_id = staff_users.id)"
    )
    op.execute("DELETE FROM staff_users WHERE business_id IS NULL")
    with op.batch_alter_table("staff_users") as table:
        table.alter_column("business_id", existing_type=sa.Integer(), nullable=False)
        table.create_foreign_key("fk_staff_users_business", "businesses", ["business_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_staff_users_business_id", "staff_users", ["business_id"])
    op.drop_index("ix_staff_memberships_business_id", table_name="staff_memberships")
    op.drop_table("staff_memberships")

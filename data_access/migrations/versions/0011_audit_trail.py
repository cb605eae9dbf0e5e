"""Who changed what: an append-only audit trail of every write, the users and their roles, the
owner of a saved scenario, and a version number on services for edits made at the same time.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_trail",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(254), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("record", sa.String(200), nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    op.create_table(
        "users",
        sa.Column("email", sa.String(254), primary_key=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("regions", sa.String(40)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("owner", sa.String(254), nullable=True))
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_column("owner")
    op.drop_table("users")
    op.drop_table("audit_trail")

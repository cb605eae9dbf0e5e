"""Saved aggregated baby-clinic audits (counts by clinic, LSOA and month; never patient rows).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_counts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("audit_name", sa.String(200), nullable=False, index=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinic", sa.String(200), nullable=False),
        sa.Column("lsoa_code", sa.String(9), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("infants", sa.Integer, nullable=False),
        sa.Column("attendances", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_counts")

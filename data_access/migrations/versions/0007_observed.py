"""What a service actually achieved in a period (observed outcomes).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observed_outcomes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("service", sa.String(200), nullable=False),
        sa.Column("region", sa.String(10), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("referrals", sa.Integer, nullable=False),
        sa.Column("families_seen", sa.Integer, nullable=False),
        sa.Column("completions", sa.Integer, nullable=False),
        sa.Column("measure", sa.String(200)),
        sa.Column("measure_scale", sa.String(200)),
        sa.Column("measured", sa.Integer),
        sa.Column("improved", sa.Integer),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("service", "region", "period_start", "period_end", name="uq_observed_period"),
    )


def downgrade() -> None:
    op.drop_table("observed_outcomes")

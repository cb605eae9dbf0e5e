"""Service register.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200)),
        sa.Column("service_type", sa.String(60), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("postcode", sa.String(10)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("catchment_level", sa.String(10)),
        sa.Column("catchment_codes", sa.Text),
        sa.Column("travel_km", sa.Float),
        sa.Column("age_min_months", sa.Integer),
        sa.Column("age_max_months", sa.Integer),
        sa.Column("capacity_families", sa.Integer),
        sa.Column("annual_cost_gbp", sa.Numeric(14, 2)),
        sa.Column("commissioner", sa.String(200)),
        sa.Column("funding_end", sa.Date),
        sa.Column("source", sa.Text),
        sa.Column("as_of", sa.Date),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("services")

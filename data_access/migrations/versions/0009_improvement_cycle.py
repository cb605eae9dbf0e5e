"""The improvement cycle of a region (audit, discussions with families, observations, co-design),
and families' findings tagged uptake or continued use.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "improvement_steps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(10), nullable=False),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started", sa.Date),
        sa.Column("completed", sa.Date),
        sa.Column("found", sa.Text),
        sa.Column("changed", sa.Text),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("region", "step", name="uq_improvement_step"),
    )
    with op.batch_alter_table("local_barriers") as batch:
        batch.add_column(sa.Column("finding_tag", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("local_barriers") as batch:
        batch.drop_column("finding_tag")
    op.drop_table("improvement_steps")

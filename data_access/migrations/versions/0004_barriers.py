"""Barriers workshops, ratings, and local barriers and mapping changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("area_code", sa.String(9), nullable=False),
        sa.Column("area_name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("barrier_id", sa.String(20), nullable=False),
        sa.Column("participant", sa.String(60)),
        sa.Column("applies", sa.Integer, nullable=False),
        sa.Column("changeable", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("applies BETWEEN 1 AND 5", name="ck_ratings_applies"),
        sa.CheckConstraint("changeable BETWEEN 1 AND 5", name="ck_ratings_changeable"),
    )
    op.create_table(
        "local_barriers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("barrier_id", sa.String(20), nullable=False),
        sa.Column("area_code", sa.String(9)),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("behaviour", sa.String(20), nullable=False),
        sa.Column("com_b", sa.Text, nullable=False),
        sa.Column("tdf", sa.Text),
        sa.Column("actions", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("local_barriers")
    op.drop_table("ratings")
    op.drop_table("workshops")

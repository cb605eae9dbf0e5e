"""From a prioritised barrier to actions: APEASE ratings of candidate intervention functions and
the region's action plan with the history of its changes; workshop ratings may leave a question
unrated.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CRITERIA = ("affordability", "practicability", "effectiveness", "acceptability", "side_effects", "equity")


def upgrade() -> None:
    op.create_table(
        "apease_ratings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(10), nullable=False),
        sa.Column("barrier_id", sa.String(20), nullable=False),
        sa.Column("function", sa.String(40), nullable=False),
        *[sa.Column(c, sa.String(10)) for c in CRITERIA],
        sa.Column("note", sa.Text),
        sa.Column("kept", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("region", "barrier_id", "function", name="uq_apease"),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region", sa.String(10), nullable=False, index=True),
        sa.Column("barrier_id", sa.String(20), nullable=False),
        sa.Column("function", sa.String(40), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "action_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("change", sa.Text, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("ratings") as batch:
        batch.alter_column("applies", existing_type=sa.Integer, nullable=True)
        batch.alter_column("changeable", existing_type=sa.Integer, nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.alter_column("applies", existing_type=sa.Integer, nullable=False)
        batch.alter_column("changeable", existing_type=sa.Integer, nullable=False)
    op.drop_table("action_history")
    op.drop_table("actions")
    op.drop_table("apease_ratings")

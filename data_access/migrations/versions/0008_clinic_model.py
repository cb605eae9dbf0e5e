"""Baby clinics carry their model (social / traditional drop-in), venue and session format.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("clinic_model", sa.String(20), nullable=True))
        batch.add_column(sa.Column("venue", sa.String(40), nullable=True))
        batch.add_column(sa.Column("session_format", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("session_format")
        batch.drop_column("venue")
        batch.drop_column("clinic_model")

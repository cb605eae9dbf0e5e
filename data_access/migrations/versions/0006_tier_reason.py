"""Services carry the reason for their tier (specialist / targeted / universal).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The two publicly documented rows of the starter register, seeded before this column existed.
REASONS = {
    "NEWPIP (Newcastle Parent Infant Partnership)": "A specialised parent-infant relationship team (named among UK specialised PAIR teams, Parent-Infant Foundation 2019)",
    "Parent and Infant Emotional Wellbeing Support pathway": "A pathway of emotional wellbeing support for parents and infants: targeted support, not a specialised PAIR team (none was found in BNSSG)",
}


def upgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("tier_reason", sa.Text, nullable=True))
    services = sa.table("services", sa.column("name", sa.String), sa.column("tier", sa.String), sa.column("tier_reason", sa.Text))
    for name, reason in REASONS.items():
        op.execute(services.update().where(services.c.name == name).values(tier_reason=reason))
    op.execute(services.update().where(services.c.name == "Parent and Infant Emotional Wellbeing Support pathway").values(tier="targeted"))


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("tier_reason")

"""A hash of each registration's cancellation code (the code itself is never stored).

Registrations made before this have no hash: staff cancel those (bot events CLI).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 05:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_code_hash", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("cancel_code_hash")

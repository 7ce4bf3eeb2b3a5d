"""records: whether an LRS client's statements count as evidence for mandatory training, and whether a
completion may satisfy mandatory training

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lrs_clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counts_as_evidence", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Clients made before the setting existed were trusted, and keep working as they did; a new client
    # starts untrusted.
    op.execute(sa.text("UPDATE lrs_clients SET counts_as_evidence = :yes").bindparams(yes=True))
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mandatory_evidence", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("completions", schema=None) as batch_op:
        batch_op.drop_column("mandatory_evidence")
    with op.batch_alter_table("lrs_clients", schema=None) as batch_op:
        batch_op.drop_column("counts_as_evidence")

"""accounts: sign-in throttling per account and client pair

A failed sign-in remembers the browser's device id (when it carried the account's device cookie) and
whether a later success from the same client forgave it; the pair index answers "how many failures
from this client on this account, and when was the last" from one index range.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("cleared", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index("ix_login_attempts_pair", ["email", "device", "client", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_pair")
        batch_op.drop_column("cleared")
        batch_op.drop_column("device")

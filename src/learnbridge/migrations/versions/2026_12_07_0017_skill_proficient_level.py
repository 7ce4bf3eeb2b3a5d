"""Skill frameworks keep their proficient level: the lowest level of the scale that counts as proficient
(Moodle's scale configuration marks it). Existing frameworks count every level, as before.

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-07 17:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("skill_frameworks") as batch:
        batch.add_column(sa.Column("proficient_level", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would copy and drop a table skills refer to.
    op.drop_column("skill_frameworks", "proficient_level")

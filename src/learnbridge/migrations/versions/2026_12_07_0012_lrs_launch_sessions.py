"""lrs: launch sessions, the credentials a launched cmi5 AU or xAPI package uses for one actor and one
registration

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import learnbridge.core.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lrs_launch_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("fetch_hash", sa.String(length=64), nullable=True),
        sa.Column("fetched_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("profile", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.JSON(), nullable=False),
        sa.Column("actor_ifi", sa.String(length=600), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.String(length=1000), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("verbs", sa.JSON(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("terminated_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["lrs_clients.id"], name=op.f("fk_lrs_launch_sessions_client_id_lrs_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lrs_launch_sessions")),
        sa.UniqueConstraint("fetch_hash", name=op.f("uq_lrs_launch_sessions_fetch_hash")),
        sa.UniqueConstraint("key", name=op.f("uq_lrs_launch_sessions_key")),
    )
    with op.batch_alter_table("lrs_launch_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lrs_launch_sessions_registration"), ["registration"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lrs_launch_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lrs_launch_sessions_registration"))
    op.drop_table("lrs_launch_sessions")

"""Calendar UIDs that are unique across installations: a random installation identifier (one row in
calendar_installation) and each session's UID stored when it is made. Sessions that exist already keep the
UID calendar clients hold for them (session-<id>@learnbridge), so their next update replaces the event
instead of adding a second copy.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:30:00
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import learnbridge.core.db

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    installation = op.create_table(
        "calendar_installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_installation")),
    )
    assert installation is not None
    made = dt.datetime.now(dt.UTC)
    op.execute(installation.insert().values(id=1, installation_id=secrets.token_hex(8), created_at=made))
    with op.batch_alter_table("learning_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_uid", sa.String(length=255), nullable=True))
    sessions = sa.table(
        "learning_sessions", sa.column("id", sa.Integer), sa.column("calendar_uid", sa.String)
    )
    legacy = sa.literal("session-") + sa.cast(sessions.c.id, sa.String) + sa.literal("@learnbridge")
    op.execute(sessions.update().values(calendar_uid=legacy))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would copy and drop a table bookings refer to.
    op.drop_column("learning_sessions", "calendar_uid")
    op.drop_table("calendar_installation")

"""The needs board (voice): needs raised by anyone, with their estimated weekly cost; one vote per person per
need (the key refuses a second); and the triage decisions shown on each need. The board ranks on votes,
cost and age, each indexed with the id.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 00:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import learnbridge.core.db

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("skill_id", sa.Integer(), nullable=True),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("frequency", sa.Integer(), nullable=True),
        sa.Column("minutes_lost", sa.Integer(), nullable=True),
        sa.Column("people_affected", sa.Integer(), nullable=True),
        sa.Column("weekly_cost", sa.BigInteger(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["merged_into_id"], ["needs.id"], name=op.f("fk_needs_merged_into_id_needs")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_needs_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(["raised_by_id"], ["people.id"], name=op.f("fk_needs_raised_by_id_people")),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], name=op.f("fk_needs_skill_id_skills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needs")),
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.create_index("ix_needs_created", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_needs_org_unit", ["org_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_needs_raised_by_id"), ["raised_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_needs_skill_id"), ["skill_id"], unique=False)
        batch_op.create_index("ix_needs_votes", ["votes", "id"], unique=False)
        batch_op.create_index("ix_needs_weekly_cost", ["weekly_cost", "id"], unique=False)

    op.create_table(
        "need_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("status_from", sa.String(length=20), nullable=False),
        sa.Column("status_to", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_need_decisions_need_id_needs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_decisions")),
    )
    with op.batch_alter_table("need_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_decisions_need_id"), ["need_id"], unique=False)

    op.create_table(
        "need_votes",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("voted_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_need_votes_need_id_needs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_need_votes_person_id_people")),
        sa.PrimaryKeyConstraint("need_id", "person_id", name=op.f("pk_need_votes")),
    )
    with op.batch_alter_table("need_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_votes_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("need_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_votes_person_id"))

    op.drop_table("need_votes")
    with op.batch_alter_table("need_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_decisions_need_id"))

    op.drop_table("need_decisions")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index("ix_needs_weekly_cost")
        batch_op.drop_index("ix_needs_votes")
        batch_op.drop_index(batch_op.f("ix_needs_skill_id"))
        batch_op.drop_index(batch_op.f("ix_needs_raised_by_id"))
        batch_op.drop_index("ix_needs_org_unit")
        batch_op.drop_index("ix_needs_created")

    op.drop_table("needs")

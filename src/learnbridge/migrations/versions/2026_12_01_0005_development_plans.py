"""pull: development plans, goals, planned learning, check-ins, comments, recommendation feedback and
the per-profile popularity the recommender reads

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:33:55.553712
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import learnbridge.core.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "development_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("aspirations", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("shared_with_manager", sa.Boolean(), nullable=False),
        sa.Column("shared_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["people.id"], name=op.f("fk_development_plans_acknowledged_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_development_plans_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_plans")),
    )
    with op.batch_alter_table("development_plans", schema=None) as batch_op:
        batch_op.create_index("ix_development_plans_person_status", ["person_id", "status"], unique=False)

    op.create_table(
        "development_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("with_person_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_development_conversations_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_development_conversations_plan_id_development_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["with_person_id"], ["people.id"], name=op.f("fk_development_conversations_with_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_conversations")),
    )
    with op.batch_alter_table("development_conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_development_conversations_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_development_conversations_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["people.id"], name=op.f("fk_plan_comments_author_id_people")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_plan_comments_plan_id_development_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_comments")),
    )
    with op.batch_alter_table("plan_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_comments_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=True),
        sa.Column("target_level", sa.Integer(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_plan_goals_plan_id_development_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], name=op.f("fk_plan_goals_skill_id_skills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_goals")),
    )
    with op.batch_alter_table("plan_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_goals_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_goals_skill_id"), ["skill_id"], unique=False)

    op.create_table(
        "recommendation_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["learning_items.id"],
            name=op.f("fk_recommendation_feedback_item_id_learning_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_recommendation_feedback_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_feedback")),
        sa.UniqueConstraint("person_id", "item_id", name=op.f("uq_recommendation_feedback_person_id")),
    )
    with op.batch_alter_table("recommendation_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendation_feedback_item_id"), ["item_id"], unique=False)

    op.create_table(
        "profile_item_popularity",
        sa.Column("job_profile_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_profile_id"],
            ["job_profiles.id"],
            name=op.f("fk_profile_item_popularity_job_profile_id_job_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["learning_items.id"],
            name=op.f("fk_profile_item_popularity_item_id_learning_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_profile_id", "item_id", name=op.f("pk_profile_item_popularity")),
    )
    with op.batch_alter_table("profile_item_popularity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_profile_item_popularity_profile_people", ["job_profile_id", "people"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_profile_item_popularity_item_id"), ["item_id"], unique=False)

    op.create_table(
        "plan_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["people.id"], name=op.f("fk_plan_checkins_author_id_people")),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["plan_goals.id"],
            name=op.f("fk_plan_checkins_goal_id_plan_goals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_plan_checkins_plan_id_development_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_checkins")),
    )
    with op.batch_alter_table("plan_checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_checkins_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("done_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", learnbridge.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["plan_goals.id"], name=op.f("fk_plan_items_goal_id_plan_goals"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["learning_items.id"], name=op.f("fk_plan_items_item_id_learning_items")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["development_plans.id"],
            name=op.f("fk_plan_items_plan_id_development_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["learning_sessions.id"], name=op.f("fk_plan_items_session_id_learning_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_items")),
    )
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_items_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_items_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_items_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_items_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_items_session_id"))
        batch_op.drop_index(batch_op.f("ix_plan_items_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_items_item_id"))
        batch_op.drop_index(batch_op.f("ix_plan_items_goal_id"))

    op.drop_table("plan_items")
    with op.batch_alter_table("plan_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_checkins_plan_id"))

    op.drop_table("plan_checkins")
    with op.batch_alter_table("profile_item_popularity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_item_popularity_item_id"))
        batch_op.drop_index("ix_profile_item_popularity_profile_people")

    op.drop_table("profile_item_popularity")
    with op.batch_alter_table("recommendation_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_feedback_item_id"))

    op.drop_table("recommendation_feedback")
    with op.batch_alter_table("plan_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_goals_skill_id"))
        batch_op.drop_index(batch_op.f("ix_plan_goals_plan_id"))

    op.drop_table("plan_goals")
    with op.batch_alter_table("plan_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_comments_plan_id"))

    op.drop_table("plan_comments")
    with op.batch_alter_table("development_conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_development_conversations_plan_id"))
        batch_op.drop_index(batch_op.f("ix_development_conversations_person_id"))

    op.drop_table("development_conversations")
    with op.batch_alter_table("development_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_development_plans_person_status")

    op.drop_table("development_plans")

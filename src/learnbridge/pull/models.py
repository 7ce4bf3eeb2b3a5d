"""Self-directed development: plans with goals, planned learning and check-ins, the manager's comments,
and what people told the recommender."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import Base, UtcDateTime, utcnow
from learnbridge.people.models import Person
from learnbridge.sessions.models import LearningSession
from learnbridge.skills.models import Skill


class PlanStatus(enum.StrEnum):
    active = "active"
    closed = "closed"


class DevelopmentPlan(Base):
    """A person's plan for a period. Private to them unless they share it with their manager."""

    __tablename__ = "development_plans"
    __table_args__ = (Index("ix_development_plans_person_status", "person_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    title: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    aspirations: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.active.value)
    shared_with_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    goals: Mapped[list[PlanGoal]] = relationship(
        back_populates="plan", order_by="PlanGoal.position, PlanGoal.id", cascade="all, delete-orphan"
    )
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position, PlanItem.id", cascade="all, delete-orphan"
    )


class DevelopmentConversation(Base):
    """A dated note of a development conversation, usually the start of a plan."""

    __tablename__ = "development_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("development_plans.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    with_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class GoalStatus(enum.StrEnum):
    open = "open"
    achieved = "achieved"
    dropped = "dropped"


class PlanGoal(Base):
    """What the person wants to be able to do: a skill at a level by a date, in their own words."""

    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), index=True)
    target_level: Mapped[int | None] = mapped_column(Integer)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=GoalStatus.open.value)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="goals")
    skill: Mapped[Skill | None] = relationship()


class PlanItem(Base):
    """Planned learning: a catalogue item, a session, or a free-text activity ("shadow the night shift")."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("plan_goals.id", ondelete="SET NULL"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("learning_items.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("learning_sessions.id"), index=True)
    activity: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(20), default="self")
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    # Ticked by hand; evidence (a completion, attendance) also counts without a tick.
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="items")
    item: Mapped[LearningItem | None] = relationship()
    session: Mapped[LearningSession | None] = relationship()


class CheckIn(Base):
    """Progress recorded over time, on the plan or on one goal."""

    __tablename__ = "plan_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("plan_goals.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    progress: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class PlanComment(Base):
    """The manager's (or the person's) comment on a shared plan."""

    __tablename__ = "plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    author: Mapped[Person] = relationship()


class FeedbackAction(enum.StrEnum):
    saved = "saved"
    dismissed = "dismissed"


class RecommendationFeedback(Base):
    """A person saved or dismissed a recommended item: the latest word counts."""

    __tablename__ = "recommendation_feedback"
    __table_args__ = (UniqueConstraint("person_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ProfileItemPopularity(Base):
    """How many people in a job profile completed, started or saved an item. Rebuilt by a job
    (pull.recommend.signals.refresh_popularity), so a recommendation reads a few rows by index instead
    of counting a whole profile's history on every request."""

    __tablename__ = "profile_item_popularity"
    __table_args__ = (Index("ix_profile_item_popularity_profile_people", "job_profile_id", "people"),)

    job_profile_id: Mapped[int] = mapped_column(
        ForeignKey("job_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("learning_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    people: Mapped[int] = mapped_column(Integer)

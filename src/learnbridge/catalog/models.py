"""The training offering: learning items with objectives and the skills they teach."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnbridge.core.db import Base, UtcDateTime, utcnow
from learnbridge.people.models import Person
from learnbridge.skills.models import Skill


class ItemKind(enum.StrEnum):
    course = "course"
    elearning = "elearning"
    resource = "resource"
    pathway = "pathway"


class ItemFormat(enum.StrEnum):
    classroom = "classroom"
    virtual = "virtual"
    self_paced = "self_paced"
    blended = "blended"
    on_the_job = "on_the_job"
    reading = "reading"
    video = "video"
    workshop = "workshop"


class Provider(enum.StrEnum):
    in_house = "in_house"
    vendor = "vendor"


class ItemStatus(enum.StrEnum):
    draft = "draft"
    published = "published"
    retired = "retired"


KIND_LABELS = {
    ItemKind.course: "Course",
    ItemKind.elearning: "E-learning",
    ItemKind.resource: "Resource",
    ItemKind.pathway: "Pathway",
}
FORMAT_LABELS = {
    ItemFormat.classroom: "Classroom",
    ItemFormat.virtual: "Virtual classroom",
    ItemFormat.self_paced: "Self-paced online",
    ItemFormat.blended: "Blended",
    ItemFormat.on_the_job: "On the job",
    ItemFormat.reading: "Reading",
    ItemFormat.video: "Video",
    ItemFormat.workshop: "Workshop",
}


class LearningItem(Base):
    __tablename__ = "learning_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=ItemKind.course.value)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The objectives joined as text: what full-text search indexes beside title and summary.
    objectives_text: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(20), default=ItemFormat.self_paced.value, index=True)
    provider: Mapped[str] = mapped_column(String(20), default=Provider.in_house.value)
    vendor_name: Mapped[str] = mapped_column(String(200), default="")
    cost: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    url: Mapped[str] = mapped_column(String(1000), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.draft.value, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Whether statements about a sub-activity (one whose context names an activity of the item as its
    # parent or grouping) count for the item too.
    xapi_sub_activities: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    owner: Mapped[Person | None] = relationship()
    skills: Mapped[list[ItemSkill]] = relationship(
        cascade="all, delete-orphan", order_by="ItemSkill.id", back_populates="item"
    )
    steps: Mapped[list[PathwayStep]] = relationship(
        cascade="all, delete-orphan",
        order_by="PathwayStep.position",
        foreign_keys="PathwayStep.pathway_id",
    )

    def visible_steps(self, statuses: tuple[str, ...]) -> list[LearningItem]:
        """The pathway's steps, in order, leaving out items the viewer may not see (drafts)."""
        return [step.item for step in self.steps if step.item.status in statuses]


class ItemSkill(Base):
    """An item teaches a skill up to a level."""

    __tablename__ = "learning_item_skills"
    __table_args__ = (UniqueConstraint("item_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)

    item: Mapped[LearningItem] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()


class PathwayStep(Base):
    """A pathway is an ordered list of other items."""

    __tablename__ = "pathway_steps"
    __table_args__ = (UniqueConstraint("pathway_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)

    item: Mapped[LearningItem] = relationship(foreign_keys=[item_id])


class ItemActivity(Base):
    """An xAPI activity id (any IRI scheme: https:, urn:, tag: ...) whose statements count for the item,
    besides the item's own id under the base URL and its link. Each IRI belongs to one item at most."""

    __tablename__ = "learning_item_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id", ondelete="CASCADE"), index=True)
    iri: Mapped[str] = mapped_column(String(2048), unique=True)

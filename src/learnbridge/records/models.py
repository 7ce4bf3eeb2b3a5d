"""Completions (the evidence that a person finished a learning item), enrolments and openings, each
with the origin that says whether the learning was pulled or pushed."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ColumnElement, Date, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnbridge.accounts.models import Account
from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import Base, UtcDateTime, utcnow
from learnbridge.people.models import Person


class CompletionSource(enum.StrEnum):
    manual = "manual"
    csv_import = "import"
    attendance = "attendance"
    xapi = "xapi"
    content = "content"
    quiz = "quiz"
    acknowledgement = "acknowledgement"
    self = "self"


SOURCE_LABELS = {
    CompletionSource.manual: "Recorded by hand",
    CompletionSource.csv_import: "Imported",
    CompletionSource.attendance: "Attended a session",
    CompletionSource.xapi: "Reported by e-learning (xAPI)",
    CompletionSource.content: "Finished the e-learning",
    CompletionSource.quiz: "Passed the quiz",
    CompletionSource.acknowledgement: "Acknowledged the policy",
    CompletionSource.self: "Marked complete by the person",
}


class Completion(Base):
    """One person finished one item on one day. Never deleted: a withdrawn record is revoked."""

    __tablename__ = "completions"
    # An external system's reference is unique per source, so re-importing a file adds nothing twice.
    __table_args__ = (
        UniqueConstraint("source", "reference"),
        Index("ix_completions_person_item", "person_id", "item_id", "completed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    completed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # The UTC day of completed_at: what due dates and expiries are counted from.
    completed_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # False for a statement from an LRS client not trusted as evidence for mandatory training: it shows
    # as learning done (plans, history) but satisfies no requirement.
    mandatory_evidence: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    person: Mapped[Person] = relationship()
    item: Mapped[LearningItem] = relationship()
    recorded_by: Mapped[Account | None] = relationship()

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(CompletionSource(self.source), self.source)

    @classmethod
    def satisfies_requirements(cls) -> ColumnElement[bool]:
        """The completions that may satisfy mandatory training: not revoked, from a trusted source."""
        return cls.revoked_at.is_(None) & cls.mandatory_evidence.is_(True)


class Origin(enum.StrEnum):
    """Why a person took up a piece of learning: what the push/pull balance is measured from."""

    self = "self"
    recommendation = "recommendation"
    plan = "plan"
    manager = "manager"
    requirement = "requirement"


ORIGIN_LABELS = {
    Origin.self: "Chosen by the person",
    Origin.recommendation: "From a recommendation",
    Origin.plan: "From their development plan",
    Origin.manager: "Assigned by their manager",
    Origin.requirement: "Required",
}


class Enrolment(Base):
    """A person started a catalogue item (e-learning, course, pathway) of their own accord or not."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("person_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20), default=Origin.self.value)
    enrolled_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    item: Mapped[LearningItem] = relationship()


class ItemOpening(Base):
    """A person opened a resource (or an item's content): one row per opening, kept."""

    __tablename__ = "item_openings"
    __table_args__ = (Index("ix_item_openings_person_opened", "person_id", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20), default=Origin.self.value)
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

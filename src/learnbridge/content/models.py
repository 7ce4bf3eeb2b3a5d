"""Content versions, attempts, and the SCORM runtime data an attempt commits per SCO."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnbridge.accounts.models import Account
from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import Base, UtcDateTime, utcnow
from learnbridge.people.models import Person


class ContentKind(enum.StrEnum):
    scorm12 = "scorm12"
    scorm2004 = "scorm2004"
    cmi5 = "cmi5"
    xapi = "xapi"
    video = "video"
    document = "document"
    link = "link"
    policy = "policy"
    quiz = "quiz"


KIND_LABELS = {
    ContentKind.scorm12: "SCORM 1.2 package",
    ContentKind.scorm2004: "SCORM 2004 package",
    ContentKind.cmi5: "cmi5 course",
    ContentKind.xapi: "xAPI package",
    ContentKind.video: "Video",
    ContentKind.document: "Document (PDF)",
    ContentKind.link: "External link",
    ContentKind.policy: "Policy to acknowledge",
    ContentKind.quiz: "Quiz",
}

# Kinds whose files are unpacked from a zip and served from the version's folder.
PACKAGES = frozenset({ContentKind.scorm12, ContentKind.scorm2004, ContentKind.cmi5, ContentKind.xapi})


class Slot(enum.StrEnum):
    """What a version is for on its item: the learning itself, or a quiz taken before or after it (the
    two tests of the same item are what an impact evaluation compares)."""

    main = "main"
    pre_test = "pre_test"
    post_test = "post_test"


SLOT_LABELS = {Slot.main: "The learning", Slot.pre_test: "Pre-test", Slot.post_test: "Post-test"}


class AttemptStatus(enum.StrEnum):
    in_progress = "in_progress"
    completed = "completed"
    passed = "passed"
    failed = "failed"


# An attempt in one of these is over: a new launch starts a new attempt.
FINISHED = frozenset({AttemptStatus.completed, AttemptStatus.passed, AttemptStatus.failed})
STATUS_LABELS = {
    "not_started": "Not started",
    AttemptStatus.in_progress: "In progress",
    AttemptStatus.completed: "Completed",
    AttemptStatus.passed: "Passed",
    AttemptStatus.failed: "Failed",
}


class ContentVersion(Base):
    """One version of one slot of an item's content. Versions are never changed: uploading again adds
    the next version, which new attempts use; attempts already made keep theirs."""

    __tablename__ = "content_versions"
    __table_args__ = (UniqueConstraint("item_id", "slot", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    slot: Mapped[str] = mapped_column(String(20), default=Slot.main.value)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    # What the kind needs to run, read from the package or given by the admin (see each kind's module):
    # SCORM's SCOs and mastery score, cmi5's AUs and moveOn, a video's captions, a quiz's questions ...
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The folder under the content store holding the version's files; "" for kinds without files.
    storage_key: Mapped[str] = mapped_column(String(100), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    item: Mapped[LearningItem] = relationship()
    created_by: Mapped[Account | None] = relationship()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(ContentKind(self.kind), self.kind)


class Attempt(Base):
    """A person's attempt at one content version: started, maybe suspended and resumed (on any device),
    then completed, passed or failed. `registration` is the attempt's xAPI registration."""

    __tablename__ = "content_attempts"
    __table_args__ = (
        Index("ix_content_attempts_person_version", "person_id", "version_id", "number"),
        Index("ix_content_attempts_version_status", "version_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)
    registration: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.in_progress.value)
    # Scaled score, -1..1 as xAPI's result.score.scaled (a percentage is shown from it).
    score: Mapped[float | None] = mapped_column(Float)
    # How far through: the share watched or read (0..1), where the kind measures it.
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    seconds_spent: Mapped[int] = mapped_column(Integer, default=0)
    # Where to resume (a SCO, a page, a second of video, a quiz question); the kind says what it means.
    location: Mapped[str] = mapped_column(String(1000), default="")
    # The kind's own state for this attempt (a quiz's questions and answers, the seconds of video seen).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The completion this attempt recorded (records.completions), once it counted.
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))

    version: Mapped[ContentVersion] = relationship()
    person: Mapped[Person] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class ScoState(Base):
    """The SCORM run-time data (the CMI data model) one attempt has committed for one SCO, whole, as the
    runtime in the browser last sent it: what a resume on any device starts from."""

    __tablename__ = "content_sco_states"
    __table_args__ = (UniqueConstraint("attempt_id", "sco_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("content_attempts.id"))
    sco_id: Mapped[str] = mapped_column(String(255))
    cmi: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Read out of the CMI for the table of contents and progress, without parsing the JSON.
    completion_status: Mapped[str] = mapped_column(String(20), default="unknown")
    success_status: Mapped[str] = mapped_column(String(20), default="unknown")
    score: Mapped[float | None] = mapped_column(Float)
    commits: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Acknowledgement(Base):
    """A person read and understood one version of a policy, at a time: kept for ever, per version."""

    __tablename__ = "content_acknowledgements"
    __table_args__ = (UniqueConstraint("version_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    acknowledged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    version: Mapped[ContentVersion] = relationship()


class ItemDelivery(Base):
    """How an item is delivered beyond its content: whether learners may mark it complete themselves."""

    __tablename__ = "content_item_settings"

    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), primary_key=True)
    self_completion: Mapped[bool] = mapped_column(Boolean, default=False)

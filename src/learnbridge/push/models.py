"""Requirements (audience x item x due policy x recertification), assignments and the audit trail."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import Base, UtcDateTime, utcnow
from learnbridge.people.models import JobProfile, OrgUnit, Person

# An exemption without an end date is stored as lasting until this day, so "exempt" is one comparison.
OPEN_ENDED = dt.date(9999, 12, 31)


class RequirementStatus(enum.StrEnum):
    draft = "draft"
    active = "active"
    archived = "archived"


class RequirementOrigin(enum.StrEnum):
    """Compliance requirements are set by L&D; a manager assigns learning to some of their reports."""

    requirement = "requirement"
    manager = "manager"


class DueKind(enum.StrEnum):
    fixed = "fixed"
    after_assignment = "after_assignment"
    after_hire = "after_hire"


class RenewFrom(enum.StrEnum):
    completion = "completion"
    expiry = "expiry"


class RuleKind(enum.StrEnum):
    everyone = "everyone"
    unit = "unit"
    unit_tree = "unit_tree"
    job_profile = "job_profile"
    location = "location"
    attribute = "attribute"
    person = "person"


class Recipient(enum.StrEnum):
    learner = "learner"
    manager = "manager"
    ld = "ld"


class AssignmentStatus(enum.StrEnum):
    assigned = "assigned"
    in_progress = "in_progress"
    completed = "completed"
    overdue = "overdue"
    expiring_soon = "expiring_soon"
    expired = "expired"
    exempt = "exempt"
    no_longer_required = "no_longer_required"


STATUS_LABELS = {
    AssignmentStatus.assigned: "Assigned",
    AssignmentStatus.in_progress: "In progress",
    AssignmentStatus.completed: "Completed",
    AssignmentStatus.overdue: "Overdue",
    AssignmentStatus.expiring_soon: "Expiring soon",
    AssignmentStatus.expired: "Expired",
    AssignmentStatus.exempt: "Exempt",
    AssignmentStatus.no_longer_required: "No longer required",
}
COMPLIANT = (AssignmentStatus.completed, AssignmentStatus.expiring_soon)


class Requirement(Base):
    __tablename__ = "requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(20), default=RequirementOrigin.requirement.value, index=True)
    status: Mapped[str] = mapped_column(String(20), default=RequirementStatus.draft.value, index=True)
    due_kind: Mapped[str] = mapped_column(String(20), default=DueKind.after_assignment.value)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_days: Mapped[int] = mapped_column(Integer, default=30)
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    # Recertification: None means complete once.
    validity_months: Mapped[int | None] = mapped_column(Integer)
    window_days: Mapped[int] = mapped_column(Integer, default=30)
    renew_from: Mapped[str] = mapped_column(String(20), default=RenewFrom.completion.value)
    # For manager-assigned learning: the manager who assigned it (and whose reason the learner sees).
    assigned_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    activated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    items: Mapped[list[LearningItem]] = relationship(
        secondary="requirement_items", order_by="LearningItem.id"
    )
    rules: Mapped[list[AudienceRule]] = relationship(
        cascade="all, delete-orphan", order_by="AudienceRule.id", back_populates="requirement"
    )
    reminders: Mapped[list[ReminderStep]] = relationship(
        cascade="all, delete-orphan", order_by="ReminderStep.offset_days"
    )
    assigned_by: Mapped[Person | None] = relationship()

    @property
    def recurring(self) -> bool:
        return self.validity_months is not None


class RequirementItem(Base):
    """Any one of a requirement's items satisfies it (equivalent courses)."""

    __tablename__ = "requirement_items"

    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirements.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), primary_key=True, index=True)


class AudienceRule(Base):
    """One criterion of a requirement's audience. See push.audience for how they combine."""

    __tablename__ = "audience_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    exclude: Mapped[bool] = mapped_column(Boolean, default=False)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    job_profile_id: Mapped[int | None] = mapped_column(ForeignKey("job_profiles.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    attribute: Mapped[str | None] = mapped_column(String(100))
    value: Mapped[str | None] = mapped_column(String(200))

    requirement: Mapped[Requirement] = relationship(back_populates="rules")
    org_unit: Mapped[OrgUnit | None] = relationship()
    job_profile: Mapped[JobProfile | None] = relationship()
    person: Mapped[Person | None] = relationship()


class ReminderStep(Base):
    """A rung of the reminder ladder: offset_days from the due date (negative = before) and to whom."""

    __tablename__ = "reminder_steps"
    __table_args__ = (UniqueConstraint("requirement_id", "offset_days", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id", ondelete="CASCADE"))
    offset_days: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(20), default=Recipient.learner.value)


class Assignment(Base):
    """One person's obligation under one requirement: at most one row per pair, kept (never deleted)
    when it stops applying. The status is worked out from the dates (see push.date_rules.status)."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("requirement_id", "person_id"),
        Index("ix_assignments_person", "person_id", "requirement_id"),
        Index("ix_assignments_unit", "requirement_id", "org_unit_id"),
        Index("ix_assignments_batch", "batch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    # The person's unit, kept in step by every recompute, so oversight groups without a join.
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    assigned_on: Mapped[dt.date] = mapped_column(Date)
    # None: the due policy's anchor (the hire date) is missing. Such rows are the exceptions queue.
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    overdue_from: Mapped[dt.date | None] = mapped_column(Date)
    due_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    window_opens_on: Mapped[dt.date | None] = mapped_column(Date)
    exempt_until: Mapped[dt.date | None] = mapped_column(Date)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    # The recompute statement that last changed the row: lets the audit trail be written set-based.
    batch: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    requirement: Mapped[Requirement] = relationship()
    person: Mapped[Person] = relationship()


class AssignmentCycle(Base):
    """A closed certification cycle: what was due, when it was completed and until when it held."""

    __tablename__ = "assignment_cycles"
    __table_args__ = (UniqueConstraint("assignment_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    cycle: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date] = mapped_column(Date)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Exemption(Base):
    __tablename__ = "exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    approver: Mapped[str] = mapped_column(String(254), default="")
    granted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuditAction(enum.StrEnum):
    requirement_created = "requirement_created"
    requirement_changed = "requirement_changed"
    requirement_activated = "requirement_activated"
    requirement_archived = "requirement_archived"
    assigned = "assigned"
    reassigned = "reassigned"
    unassigned = "unassigned"
    due_changed = "due_changed"
    completed = "completed"
    renewed = "renewed"
    completion_recorded = "completion_recorded"
    completion_withdrawn = "completion_withdrawn"
    exempted = "exempted"
    exemption_revoked = "exemption_revoked"


class AuditEvent(Base):
    """Immutable: database triggers refuse UPDATE, DELETE and PostgreSQL's TRUNCATE (and, on the app's
    SQLite connections, INSERT OR REPLACE: see core.db). Tamper-evident: the rows form a hash chain in
    `seq` order (push.audit_chain), which `learnbridge audit verify` walks."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_person", "person_id", "id"),
        Index("ix_audit_events_requirement", "requirement_id", "id"),
        Index("ix_audit_events_action", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    # Who, as text that survives the account: an e-mail address or "system (HR feed)".
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirements.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("learning_items.id"))
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    detail: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    # The row's place in the chain and SHA-256(previous row's hash + this row's content). On PostgreSQL a
    # trigger sets both on every insert; on SQLite push.audit writes them (push.audit_chain).
    seq: Mapped[int] = mapped_column(BigInteger, unique=True, server_default=FetchedValue())
    hash: Mapped[bytes] = mapped_column(LargeBinary(32), server_default=FetchedValue())

    requirement: Mapped[Requirement | None] = relationship()
    person: Mapped[Person | None] = relationship()


class ReminderDigest(Base):
    """One digest per person per day, whatever number of assignments it covers."""

    __tablename__ = "reminder_digests"
    __table_args__ = (UniqueConstraint("recipient", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The e-mail address the digest went to (a learner, a manager or an L&D admin).
    recipient: Mapped[str] = mapped_column(String(254))
    day: Mapped[dt.date] = mapped_column(Date)
    lines: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ComplianceCount(Base):
    """Open assignments per requirement, unit and status as of a day: what oversight reads, so the
    heatmap sums a few thousand rows instead of every assignment. Kept in step by every change to
    assignments (push.compliance_counts) and rebuilt each day at midnight UTC, when dates move
    statuses on; while it is not for today, oversight counts the assignments themselves."""

    __tablename__ = "compliance_counts"

    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id"), primary_key=True)
    # 0 for people without a unit (no foreign key, so the key needs no NULL).
    org_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    in_progress: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    expiring_soon: Mapped[int] = mapped_column(Integer, default=0)
    expired: Mapped[int] = mapped_column(Integer, default=0)
    exempt: Mapped[int] = mapped_column(Integer, default=0)

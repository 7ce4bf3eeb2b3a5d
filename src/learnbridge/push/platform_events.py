"""Push's platform events (records.platform_events):

- a completion recorded by hand is `completed` on the item. Its origin is what brought the person to the
  item: their enrolment's origin; else, when one of their assignments includes the item, `requirement`
  (or `manager` when only a manager's assignment does); else `self`.
- an assignment made (or made again) is `assigned` on the requirement, origin `requirement`, or `manager`
  for learning a manager assigned. A recompute assigns set-based, up to millions of pairs, so it only
  queues one job naming the range of audit rows it may have written; the job pages through their
  `assigned` / `reassigned` rows a chunk at a time, each chunk in its own transaction (the next chunk is
  a job queued by the one before), so statement writers are never held up for long. The audit row's
  id is the event's key.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.core.jobs import enqueue
from learnbridge.push.models import (
    Assignment,
    AuditAction,
    AuditEvent,
    Requirement,
    RequirementItem,
    RequirementOrigin,
)
from learnbridge.records import service as records
from learnbridge.records.models import Completion, Origin
from learnbridge.records.platform_events import ActivityRef, PlatformEvent
from learnbridge.records.platform_iris import REQUIREMENT, requirement_path
from learnbridge.records.platform_statements import store_events

ASSIGNMENTS_JOB = "push.assignment_statements"
CHUNK = 2000


def completion_recorded(db: Session, completion: Completion) -> PlatformEvent:
    """A completion recorded by hand, as `completed` on its item."""
    item = db.get(LearningItem, completion.item_id)
    assert item is not None
    return PlatformEvent(
        key=f"completion:{completion.id}",
        person_id=completion.person_id,
        verb="completed",
        activity=records.item_activity(item),
        origin=completion_origin(db, person_id=completion.person_id, item_id=completion.item_id),
        timestamp=completion.completed_at,
        result={"completion": True},
    )


def completion_origin(db: Session, *, person_id: int, item_id: int) -> Origin:
    """Why the person took up the item: their enrolment, else an assignment of theirs, else themself."""
    enrolled = records.enrolment_origin(db, person_id=person_id, item_id=item_id)
    if enrolled is not None:
        return enrolled
    stmt = (
        select(Requirement.origin)
        .join(Assignment, Assignment.requirement_id == Requirement.id)
        .join(RequirementItem, RequirementItem.requirement_id == Requirement.id)
        .where(
            Assignment.person_id == person_id,
            Assignment.removed_at.is_(None),
            RequirementItem.item_id == item_id,
        )
    )
    origins = set(db.scalars(stmt))
    if RequirementOrigin.requirement.value in origins:
        return Origin.requirement
    return Origin.manager if origins else Origin.self


def audit_mark(db: Session) -> int:
    """The newest audit row's id: taken before a recompute writes, the start of its range."""
    return int(db.scalar(select(func.max(AuditEvent.id))) or 0)


def queue_assignment_statements(db: Session, *, after: int) -> None:
    """Queue the job that writes the assignments audited after `after` (up to now) as statements. Rows
    of other transactions in the range are written once whichever job reaches them first."""
    through = audit_mark(db)
    if through > after:
        enqueue(db, ASSIGNMENTS_JOB, {"after": after, "through": through})


def write_assignment_statements(db: Session, *, after: int, through: int, base_url: str) -> int | None:
    """Store one chunk of the range's assignments as statements; returns the last audit id it covered
    when the range goes on, else None."""
    stmt = (
        select(
            AuditEvent.id,
            AuditEvent.person_id,
            AuditEvent.at,
            Requirement.id,
            Requirement.name,
            Requirement.origin,
        )
        .join(Requirement, Requirement.id == AuditEvent.requirement_id)
        .where(
            AuditEvent.id > after,
            AuditEvent.id <= through,
            AuditEvent.action.in_([AuditAction.assigned.value, AuditAction.reassigned.value]),
        )
        .order_by(AuditEvent.id)
        .limit(CHUNK)
    )
    rows = db.execute(stmt).all()
    events = [
        PlatformEvent(
            key=f"audit:{audit_id}",
            person_id=person_id,
            verb="assigned",
            activity=ActivityRef(id=requirement_path(requirement_id), name=name, type=REQUIREMENT),
            origin=Origin.manager if origin == RequirementOrigin.manager.value else Origin.requirement,
            timestamp=at,
        )
        for audit_id, person_id, at, requirement_id, name, origin in rows
        if person_id is not None
    ]
    store_events(db, events, base_url=base_url)
    return rows[-1][0] if len(rows) == CHUNK else None

"""Fulfilment: what changes an assignment one at a time (completions and other evidence, exemptions,
a changed due date, a start)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, NotFound
from learnbridge.core.progress import Progress, no_progress
from learnbridge.push import audit, notices, platform_events
from learnbridge.push.audit import Actor
from learnbridge.push.compliance_counts import pairs_of, refresh_counts
from learnbridge.push.date_rules import expiry, overdue_from, window_opens
from learnbridge.push.models import (
    OPEN_ENDED,
    Assignment,
    AssignmentCycle,
    AuditAction,
    Exemption,
    RenewFrom,
    Requirement,
    RequirementItem,
)
from learnbridge.records import service as records
from learnbridge.records.completions import CompletionChange
from learnbridge.records.models import Completion, CompletionSource
from learnbridge.records.platform_events import emit


def get_assignment(db: Session, assignment_id: int) -> Assignment:
    assignment = db.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(f"No assignment {assignment_id}.")
    return assignment


def record_completion(
    db: Session,
    *,
    person_id: int,
    item_id: int,
    completed_at: dt.datetime,
    evidence: str,
    actor: Actor,
    source: CompletionSource = CompletionSource.manual,
) -> tuple[Completion, int]:
    """Record a completion, audit it, and let it satisfy the person's matching assignments; one recorded
    by hand is also a statement in the LRS."""
    completion, change = records.add_completion(
        db,
        person_id=person_id,
        item_id=item_id,
        completed_at=completed_at,
        source=source,
        evidence=evidence,
        recorded_by_id=actor.account_id,
    )
    audit.record(
        db,
        actor=actor,
        action=AuditAction.completion_recorded,
        person_id=person_id,
        item_id=item_id,
        completion_id=completion.id,
        detail=f"completed on {completion.completed_on}",
        reason=evidence,
    )
    if source == CompletionSource.manual:
        emit(db, [platform_events.completion_recorded(db, completion)])
    return completion, apply_evidence(db, change=change, actor=actor).completed


def import_completions(
    db: Session, text: str, *, actor: Actor, progress: Progress = no_progress
) -> tuple[records.ImportResult, int]:
    """A CSV of completions from another system, all or nothing, each audited and applied."""
    result = records.import_completions(db, text, recorded_by_id=actor.account_id, progress=progress)
    now = utcnow()
    rows = [
        {
            "at": now,
            "actor_id": actor.account_id,
            "actor": actor.label,
            "action": AuditAction.completion_recorded.value,
            "person_id": c.person_id,
            "item_id": c.item_id,
            "completion_id": c.id,
            "detail": f"imported: completed on {c.completed_on}",
            "reason": c.evidence,
        }
        for c in result.created
    ]
    audit.record_many(db, rows)
    applied = apply_evidence(db, change=CompletionChange(added=result.created), actor=actor)
    return result, applied.completed


@dataclass(frozen=True)
class Applied:
    """What applying a change of evidence did to assignments."""

    completed: int  # completed or renewed
    withdrawn: int  # set back: a revoked completion had satisfied them


def apply_evidence(db: Session, *, change: CompletionChange, actor: Actor) -> Applied:
    """Apply one change of evidence (what records' writes returned) to assignments, once: an assignment a
    revoked completion satisfied goes back to where it was, then each assignment of everyone concerned
    walks through their remaining completions."""
    withdrawn = _withdraw(db, completion_ids=change.revoked, actor=actor)
    people = change.people | {a.person_id for a in withdrawn}
    completed = _apply_completions(db, person_ids=sorted(people), actor=actor)
    _recount(db, completed | {a.id for a in withdrawn})
    return Applied(completed=len(completed), withdrawn=len(withdrawn))


def _apply_completions(db: Session, *, person_ids: list[int], actor: Actor) -> set[int]:
    """Walk each assignment of these people through its completions, oldest first: the first completes
    it; with recertification, one inside the renewal window renews it (a new cycle). Returns the ids
    of the assignments completed or renewed."""
    if not person_ids:
        return set()
    assignments = list(
        db.scalars(
            select(Assignment)
            .where(Assignment.person_id.in_(person_ids), Assignment.removed_at.is_(None))
            .options(selectinload(Assignment.requirement).selectinload(Requirement.items))
        )
    )
    by_person = _completions_by_person_item(db, person_ids)
    changed: set[int] = set()
    for assignment in assignments:
        requirement = assignment.requirement
        found = [c for item in requirement.items for c in by_person.get((assignment.person_id, item.id), [])]
        for completion in sorted(found, key=lambda c: (c.completed_on, c.id)):
            if _apply(db, assignment, requirement, completion, actor):
                changed.add(assignment.id)
    db.flush()
    return changed


def _withdraw(db: Session, *, completion_ids: list[int], actor: Actor) -> list[Assignment]:
    """Revoked completions stop counting: an assignment one of them completed goes back to where it was
    (the previous cycle when it was a renewal, not completed when it was the first). Returns the
    assignments set back; `apply_evidence` then applies their people's remaining evidence."""
    if not completion_ids:
        return []
    hit = list(
        db.scalars(
            select(Assignment)
            .where(Assignment.completion_id.in_(completion_ids))
            .options(selectinload(Assignment.requirement))
        )
    )
    for assignment in hit:
        withdrawn = assignment.completion_id
        _step_back(db, assignment)
        audit.record_for(
            db,
            assignment,
            actor=actor,
            action=AuditAction.completion_withdrawn,
            completion_id=withdrawn,
            detail="the completion that satisfied it was withdrawn",
        )
    db.flush()
    return hit


def _step_back(db: Session, a: Assignment) -> None:
    previous = db.scalar(
        select(AssignmentCycle).where(
            AssignmentCycle.assignment_id == a.id, AssignmentCycle.cycle == a.cycle - 1
        )
    )
    if previous is None:
        a.completed_on = a.completion_id = a.expires_on = a.window_opens_on = None
        return
    a.cycle -= 1
    a.completed_on, a.completion_id = previous.completed_on, previous.completion_id
    a.expires_on = previous.expires_on
    a.window_opens_on = window_opens(previous.expires_on, a.requirement.window_days)
    db.delete(previous)


def _recount(db: Session, assignment_ids: set[int]) -> None:
    """Keep the compliance counts in step with assignments changed one at a time."""
    if assignment_ids:
        refresh_counts(db, today=utcnow().date(), pairs=pairs_of(db, assignment_ids=assignment_ids))


def _completions_by_person_item(
    db: Session, person_ids: list[int]
) -> dict[tuple[int, int], list[Completion]]:
    stmt = (
        select(Completion)
        .join(RequirementItem, RequirementItem.item_id == Completion.item_id)
        .where(Completion.person_id.in_(person_ids), Completion.satisfies_requirements())
        .distinct()
    )
    found: dict[tuple[int, int], list[Completion]] = defaultdict(list)
    for completion in db.scalars(stmt):
        found[(completion.person_id, completion.item_id)].append(completion)
    return found


def _apply(
    db: Session, a: Assignment, requirement: Requirement, completion: Completion, actor: Actor
) -> bool:
    day = completion.completed_on
    if a.completed_on is None:
        action = AuditAction.completed
    elif not requirement.recurring or day <= a.completed_on:
        return False
    elif a.window_opens_on is not None and day < a.window_opens_on:
        return False  # too early: the current certificate still holds and the window has not opened
    else:
        db.add(
            AssignmentCycle(
                assignment_id=a.id,
                cycle=a.cycle,
                due_on=a.due_on,
                completed_on=a.completed_on,
                completion_id=a.completion_id,
                expires_on=a.expires_on,
            )
        )
        action = AuditAction.renewed
        a.cycle += 1
    previous = a.expires_on if action == AuditAction.renewed else None
    a.completed_on = day
    a.completion_id = completion.id
    a.expires_on = expiry(
        validity_months=requirement.validity_months,
        renew_from=RenewFrom(requirement.renew_from),
        completed_on=day,
        previous=previous,
    )
    a.window_opens_on = window_opens(a.expires_on, requirement.window_days)
    db.flush()
    detail = f"completed on {day}" + (f", valid until {a.expires_on}" if a.expires_on else "")
    audit.record_for(
        db,
        a,
        actor=actor,
        action=action,
        item_id=completion.item_id,
        completion_id=completion.id,
        detail=detail,
    )
    return True


def grant_exemption(
    db: Session, *, assignment_id: int, reason: str, ends_on: dt.date | None, actor: Actor
) -> Exemption:
    """An exemption needs a reason and names its approver; it may end on a date. The person is told."""
    assignment = get_assignment(db, assignment_id)
    if assignment.removed_at is not None:
        raise Conflict("This assignment no longer applies.")
    _end_exemptions(db, assignment, actor, reason="replaced by a new exemption")
    exemption = Exemption(
        assignment_id=assignment.id,
        reason=reason.strip(),
        approved_by_id=actor.account_id,
        approver=actor.label,
        ends_on=ends_on,
    )
    db.add(exemption)
    assignment.exempt_until = ends_on or OPEN_ENDED
    db.flush()
    _recount(db, {assignment.id})
    audit.record_for(
        db,
        assignment,
        actor=actor,
        action=AuditAction.exempted,
        detail=f"until {ends_on}" if ends_on else "no end date",
        reason=reason,
    )
    notices.exemption_granted(db, assignment, exemption)
    return exemption


def revoke_exemption(db: Session, *, assignment_id: int, reason: str, actor: Actor) -> None:
    """End an exemption now, with a reason the person is told."""
    assignment = get_assignment(db, assignment_id)
    if not _end_exemptions(db, assignment, actor, reason=reason):
        raise Conflict("This assignment has no exemption to revoke.")
    assignment.exempt_until = None
    db.flush()
    _recount(db, {assignment.id})
    notices.exemption_revoked(db, assignment, by=actor.label, reason=reason.strip())


def _end_exemptions(db: Session, assignment: Assignment, actor: Actor, *, reason: str) -> int:
    current = list(
        db.scalars(
            select(Exemption).where(Exemption.assignment_id == assignment.id, Exemption.revoked_at.is_(None))
        )
    )
    for exemption in current:
        exemption.revoked_at = utcnow()
        audit.record_for(
            db,
            assignment,
            actor=actor,
            action=AuditAction.exemption_revoked,
            reason=reason,
        )
    return len(current)


def change_due(db: Session, *, assignment_id: int, due_on: dt.date, reason: str, actor: Actor) -> Assignment:
    """Set one person's due date by hand (an extension, or a date for the exceptions queue).
    Recomputes leave it alone from then on."""
    assignment = get_assignment(db, assignment_id)
    if assignment.removed_at is not None:
        raise Conflict("This assignment no longer applies.")
    before = assignment.due_on
    assignment.due_on = due_on
    assignment.overdue_from = overdue_from(due_on, assignment.requirement.grace_days)
    assignment.due_overridden = True
    db.flush()
    _recount(db, {assignment.id})
    audit.record_for(
        db,
        assignment,
        actor=actor,
        action=AuditAction.due_changed,
        detail=f"{before or 'none'} -> {due_on}",
        reason=reason,
    )
    return assignment


def mark_started(
    db: Session, *, assignment_id: int, person_id: int, today: dt.date | None = None
) -> Assignment:
    """The learner says they have started: the assignment shows as in progress."""
    assignment = get_assignment(db, assignment_id)
    if assignment.person_id != person_id:
        raise NotFound(f"No assignment {assignment_id}.")
    if assignment.started_on is None:
        assignment.started_on = today or utcnow().date()
        db.flush()
        _recount(db, {assignment.id})
    return assignment

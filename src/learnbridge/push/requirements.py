"""Requirements: write, preview, activate, archive; and learning a manager assigns to reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from learnbridge.accounts.policy import reports_subtree
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.catalog.service import get_item
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from learnbridge.people.models import JobProfile, OrgUnit, Person
from learnbridge.people.service import get_person
from learnbridge.push import audit
from learnbridge.push.assignments import RecomputeResult, recompute
from learnbridge.push.audit import Actor
from learnbridge.push.date_rules import Dates, status
from learnbridge.push.models import (
    Assignment,
    AudienceRule,
    AuditAction,
    DueKind,
    ReminderStep,
    Requirement,
    RequirementOrigin,
    RequirementStatus,
    RuleKind,
)
from learnbridge.push.schemas import (
    ManagerAssignIn,
    PreviewOut,
    PreviewPerson,
    ReminderIn,
    RequirementIn,
    RuleIn,
)


def get_requirement(db: Session, requirement_id: int) -> Requirement:
    requirement = db.get(Requirement, requirement_id)
    if requirement is None:
        raise NotFound(f"No requirement {requirement_id}.")
    return requirement


def list_requirements(db: Session, *, origin: RequirementOrigin | None = None) -> list[Requirement]:
    stmt = select(Requirement).options(
        selectinload(Requirement.items), selectinload(Requirement.rules), selectinload(Requirement.reminders)
    )
    if origin is not None:
        stmt = stmt.where(Requirement.origin == origin.value)
    return list(db.scalars(stmt.order_by(Requirement.status, Requirement.name)))


def create_requirement(
    db: Session,
    *,
    data: RequirementIn,
    actor: Actor,
    origin: RequirementOrigin = RequirementOrigin.requirement,
) -> Requirement:
    """A new requirement starts as a draft: it assigns nobody until activated."""
    requirement = Requirement(origin=origin.value, created_by_id=actor.account_id)
    _apply(db, requirement, data)
    db.add(requirement)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action=AuditAction.requirement_created,
        requirement_id=requirement.id,
        detail=requirement.name,
    )
    return requirement


def update_requirement(
    db: Session, *, requirement_id: int, data: RequirementIn, actor: Actor, today: dt.date | None = None
) -> RecomputeResult:
    """Change the rule; an active requirement's assignments follow at once."""
    requirement = get_requirement(db, requirement_id)
    if requirement.status == RequirementStatus.archived:
        raise Conflict("An archived requirement cannot be changed.")
    _apply(db, requirement, data)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action=AuditAction.requirement_changed,
        requirement_id=requirement.id,
        detail=_summary(requirement),
    )
    if requirement.status != RequirementStatus.active:
        return RecomputeResult()
    return recompute(db, actor=actor, today=today, requirement_ids=[requirement.id])


def activate_requirement(
    db: Session, *, requirement_id: int, actor: Actor, today: dt.date | None = None, reason: str = ""
) -> RecomputeResult:
    """Start assigning; `reason` (why these people must do it) goes on every audit row it writes."""
    requirement = get_requirement(db, requirement_id)
    if requirement.status != RequirementStatus.draft:
        raise Conflict(f"Only a draft can be activated; this requirement is {requirement.status}.")
    requirement.status = RequirementStatus.active.value
    requirement.activated_at = utcnow()
    audit.record(
        db,
        actor=actor,
        action=AuditAction.requirement_activated,
        requirement_id=requirement.id,
        detail=_summary(requirement),
        reason=reason,
    )
    return recompute(db, actor=actor, today=today, requirement_ids=[requirement.id], reason=reason)


def archive_requirement(
    db: Session, *, requirement_id: int, actor: Actor, reason: str = "", today: dt.date | None = None
) -> RecomputeResult:
    """Archiving closes every assignment (kept as no longer required) and assigns nobody again."""
    requirement = get_requirement(db, requirement_id)
    if requirement.status == RequirementStatus.archived:
        raise Conflict("The requirement is archived already.")
    requirement.status = RequirementStatus.archived.value
    audit.record(
        db, actor=actor, action=AuditAction.requirement_archived, requirement_id=requirement.id, reason=reason
    )
    return recompute(db, actor=actor, today=today, requirement_ids=[requirement.id])


PREVIEW_PAGE = 50


def preview_requirement(
    db: Session,
    *,
    data: RequirementIn,
    requirement_id: int | None = None,
    today: dt.date | None = None,
    page: int = 1,
) -> PreviewOut:
    """What activating (or saving) this rule would do, computed by doing it and rolling it back; the
    people it would change are listed a page (`PREVIEW_PAGE`) at a time, page 1 first."""
    today = today or utcnow().date()
    savepoint = db.begin_nested()
    try:
        if requirement_id is None:
            requirement = create_requirement(db, data=data, actor=Actor.system("preview"))
        else:
            requirement = get_requirement(db, requirement_id)
            _apply(db, requirement, data)
        requirement.status = RequirementStatus.active.value
        db.flush()
        result = recompute(
            db, actor=Actor.system("preview"), today=today, requirement_ids=[requirement.id], tell=False
        )
        return _preview(db, requirement.id, result, today, page)
    finally:
        savepoint.rollback()


def activation_preview(
    db: Session, *, requirement_id: int, today: dt.date | None = None, page: int = 1
) -> PreviewOut:
    """What activating this draft would do (who would be assigned, how many overdue at once): the
    question the admin answers before activating."""
    requirement = get_requirement(db, requirement_id)
    if requirement.status != RequirementStatus.draft:
        raise Conflict(f"Only a draft can be activated; this requirement is {requirement.status}.")
    return preview_requirement(
        db, data=requirement_input(requirement), requirement_id=requirement_id, today=today, page=page
    )


def _preview(
    db: Session, requirement_id: int, result: RecomputeResult, today: dt.date, page: int
) -> PreviewOut:
    changed = list(
        db.execute(
            select(Assignment, Person.name)
            .join(Person, Person.id == Assignment.person_id)
            .where(Assignment.requirement_id == requirement_id, Assignment.batch.startswith(result.batch))
            .order_by(Person.name, Person.id)
        )
    )
    late = {"overdue", "expired"}
    overdue_ids = {
        a.id for a, _ in changed if a.removed_at is None and status(Dates.of(a), today).value in late
    }
    # (assignment, name, whether it closes), for the assignments the rule adds, adds again or closes
    listed = [
        (a, name, batch.endswith(":close"))
        for a, name in changed
        if (batch := a.batch or "").endswith((":add", ":readd", ":close"))
    ]
    added = [name for _, name, closing in listed if not closing]
    removed = [name for _, name, closing in listed if closing]
    exceptions = sum(
        1 for a, _ in changed if a.removed_at is None and a.due_on is None and a.completed_on is None
    )
    pages = max(1, -(-len(listed) // PREVIEW_PAGE))
    page = min(max(page, 1), pages)
    shown = listed[(page - 1) * PREVIEW_PAGE : page * PREVIEW_PAGE]  # only the page is made into models
    return PreviewOut(
        added=len(added),
        removed=len(removed),
        due_changed=result.due_changed,
        overdue_at_once=len(overdue_ids),
        exceptions=exceptions,
        sample_added=added[:20],
        sample_removed=removed[:20],
        people=[
            PreviewPerson(
                person_id=a.person_id,
                name=name,
                change="no longer required" if closing else "assigned",
                due_on=None if closing else a.due_on,
                overdue=a.id in overdue_ids,
            )
            for a, name, closing in shown
        ],
        page=page,
        pages=pages,
    )


def _apply(db: Session, requirement: Requirement, data: RequirementIn) -> None:
    errors = _check_references(db, data)
    if errors:
        raise Invalid(errors)
    requirement.name = data.name.strip()
    requirement.description = data.description.strip()
    requirement.due_kind = data.due_kind.value
    requirement.due_date = data.due_date if data.due_kind == DueKind.fixed else None
    requirement.due_days = data.due_days
    requirement.grace_days = data.grace_days
    requirement.validity_months = data.validity_months
    requirement.window_days = data.window_days
    requirement.renew_from = data.renew_from.value
    requirement.items = list(db.scalars(select(LearningItem).where(LearningItem.id.in_(data.item_ids))))
    requirement.rules = [_rule(db, rule) for rule in data.rules]
    steps = {(step.offset_days, step.recipient.value) for step in data.reminders}
    if requirement.id is not None:
        requirement.reminders = []  # the old rungs go before new ones with the same key arrive
        db.flush()
    requirement.reminders = [ReminderStep(offset_days=o, recipient=r) for o, r in sorted(steps)]


def _rule(db: Session, data: RuleIn) -> AudienceRule:
    keeps = {
        RuleKind.unit: "org_unit_id",
        RuleKind.unit_tree: "org_unit_id",
        RuleKind.job_profile: "job_profile_id",
        RuleKind.person: "person_id",
    }.get(data.kind)
    rule = AudienceRule(kind=data.kind.value, exclude=data.exclude)
    if keeps:
        setattr(rule, keeps, getattr(data, keeps))
    if data.kind in (RuleKind.location, RuleKind.attribute):
        rule.value = (data.value or "").strip()
    if data.kind == RuleKind.attribute:
        rule.attribute = (data.attribute or "").strip()
    if rule.org_unit_id:
        rule.org_unit = db.get(OrgUnit, rule.org_unit_id)
    return rule


def _check_references(db: Session, data: RequirementIn) -> list[FieldError]:
    errors = []
    found = set(db.scalars(select(LearningItem.id).where(LearningItem.id.in_(data.item_ids))))
    errors += [
        FieldError(f"item_ids[{i}]", f"no catalogue item has id {v}")
        for i, v in enumerate(data.item_ids)
        if v not in found
    ]
    checks = (("org_unit_id", OrgUnit), ("job_profile_id", JobProfile), ("person_id", Person))
    for index, rule in enumerate(data.rules):
        for name, model in checks:
            value = getattr(rule, name)
            if value is not None and db.get(model, value) is None:
                errors.append(
                    FieldError(f"rules[{index}].{name}", f"no {model.__tablename__[:-1]} has id {value}")
                )
    return errors


def _summary(requirement: Requirement) -> str:
    items = ", ".join(item.title for item in requirement.items)
    return f"{requirement.name}: {items}; due {requirement.due_kind}; {len(requirement.rules)} audience rules"


def requirement_input(requirement: Requirement) -> RequirementIn:
    """A stored requirement as the input that would recreate it (for edit forms and previews)."""
    return RequirementIn(
        name=requirement.name,
        description=requirement.description,
        item_ids=[item.id for item in requirement.items],
        rules=[
            RuleIn(
                kind=RuleKind(r.kind),
                exclude=r.exclude,
                org_unit_id=r.org_unit_id,
                job_profile_id=r.job_profile_id,
                person_id=r.person_id,
                attribute=r.attribute,
                value=r.value,
            )
            for r in requirement.rules
        ],
        due_kind=DueKind(requirement.due_kind),
        due_date=requirement.due_date,
        due_days=requirement.due_days,
        grace_days=requirement.grace_days,
        validity_months=requirement.validity_months,
        window_days=requirement.window_days,
        renew_from=requirement.renew_from,
        reminders=[
            ReminderIn(offset_days=s.offset_days, recipient=s.recipient) for s in requirement.reminders
        ],
    )


def assign_by_manager(
    db: Session, *, manager_id: int, data: ManagerAssignIn, actor: Actor, today: dt.date | None = None
) -> Requirement:
    """A manager assigns an item to some of their reports, with a due date and the reason they see."""
    manager = get_person(db, manager_id)
    item = get_item(db, data.item_id)
    if item.status != ItemStatus.published:
        raise Invalid(
            field="item_id",
            message=f"{item.title!r} is not published: only published learning can be assigned",
        )
    below = set(db.scalars(reports_subtree(manager_id)))
    strangers = [pid for pid in data.person_ids if pid not in below]
    if strangers:
        raise Forbidden(f"You can assign learning only to your reports (not person {strangers[0]}).")
    if data.due_on < (today or utcnow().date()):
        raise Invalid(field="due_on", message="lies in the past")
    spec = RequirementIn(
        name=f"{item.title} (assigned by {manager.name})",
        description=data.reason,
        item_ids=[item.id],
        rules=[RuleIn(kind=RuleKind.person, person_id=pid) for pid in sorted(set(data.person_ids))],
        due_kind=DueKind.fixed,
        due_date=data.due_on,
        reminders=[ReminderIn(offset_days=-3), ReminderIn(offset_days=0)],
    )
    requirement = create_requirement(db, data=spec, actor=actor, origin=RequirementOrigin.manager)
    requirement.assigned_by_person_id = manager.id
    activate_requirement(db, requirement_id=requirement.id, actor=actor, today=today, reason=data.reason)
    return requirement


def people_changed(
    db: Session, *, person_ids: list[int] | None, today: dt.date | None = None
) -> RecomputeResult:
    """The HR feed changed these people (joined, moved, changed job, left): recompute just them."""
    return recompute(db, actor=Actor.system("HR change"), today=today, person_ids=person_ids)

"""Reading compliance obligations: a person's with their reasons, a team's, a heatmap cell's, what
expires, the exceptions queue, an assignment's history and the CSV export.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from learnbridge.accounts.policy import reports_subtree
from learnbridge.catalog.models import LearningItem
from learnbridge.core.errors import NotFound
from learnbridge.people.models import OrgUnit, Person
from learnbridge.push.audience import explain
from learnbridge.push.date_rules import Dates, status, status_sql
from learnbridge.push.models import (
    Assignment,
    AssignmentCycle,
    AssignmentStatus,
    AuditEvent,
    DueKind,
    Exemption,
    Requirement,
    RequirementOrigin,
)

# Worst first: what a manager or an admin should look at before the rest.
URGENCY = [
    AssignmentStatus.expired,
    AssignmentStatus.overdue,
    AssignmentStatus.expiring_soon,
    AssignmentStatus.in_progress,
    AssignmentStatus.assigned,
    AssignmentStatus.completed,
    AssignmentStatus.exempt,
    AssignmentStatus.no_longer_required,
]


@dataclass
class Obligation:
    """An assignment with its status and the two explanations every assignment owes its person (worked
    out when first read: a list of a team's assignments shows none of them)."""

    assignment: Assignment
    status: AssignmentStatus

    @cached_property
    def reason(self) -> str:
        return why_assigned(self.assignment)

    @cached_property
    def due_reason(self) -> str:
        return why_due(self.assignment)

    @cached_property
    def reason_about(self) -> str:
        """The reason said about the person, to someone else."""
        return why_assigned(self.assignment, own=False)

    @property
    def requirement(self) -> Requirement:
        return self.assignment.requirement

    @property
    def items(self) -> list[LearningItem]:
        return self.assignment.requirement.items


def _load() -> list[ExecutableOption]:
    return [
        selectinload(Assignment.requirement).selectinload(Requirement.items),
        selectinload(Assignment.requirement).selectinload(Requirement.rules),
        selectinload(Assignment.requirement).selectinload(Requirement.assigned_by),
        selectinload(Assignment.person).selectinload(Person.org_unit),
    ]


def obligation(assignment: Assignment, today: dt.date) -> Obligation:
    return Obligation(assignment=assignment, status=status(Dates.of(assignment), today))


def why_assigned(assignment: Assignment, *, own: bool = True) -> str:
    """Why the assignment exists, said to its person (`own`) or to someone looking at it for them."""
    requirement = assignment.requirement
    name = assignment.person.name
    if requirement.origin == RequirementOrigin.manager:
        who = (
            requirement.assigned_by.name
            if requirement.assigned_by
            else ("Your" if own else "Their") + " manager"
        )
        return f"{who} assigned this{'' if own else f' to {name}'}: {requirement.description}"
    matched, reasons = explain(requirement.rules, assignment.person, own=own)
    whom = "you" if own else name
    if assignment.removed_at is not None or not matched:
        default = "you no longer match its audience" if own else "no longer in its audience"
        because = "; ".join(reasons) if reasons else default
        return f"{requirement.name} no longer applies to {whom}: {because}."
    text = f"{requirement.name} applies to {whom}: " + "; ".join(reasons) + "."
    return f"{text} {requirement.description}".strip()


def why_due(assignment: Assignment) -> str:
    requirement = assignment.requirement
    grace = f" (plus {requirement.grace_days} days' grace)" if requirement.grace_days else ""
    if assignment.completed_on is not None:
        if assignment.expires_on is None:
            return f"Done on {assignment.completed_on}; no renewal needed."
        return (
            f"Done on {assignment.completed_on}; valid until {assignment.expires_on}. Renewal opens on "
            f"{assignment.window_opens_on}."
        )
    if assignment.due_overridden:
        return f"Due {assignment.due_on}{grace}: set by hand by L&D (see the audit trail for why)."
    kind = DueKind(requirement.due_kind)
    if kind == DueKind.fixed:
        return f"Due {assignment.due_on}{grace}: the date set for everyone."
    if kind == DueKind.after_assignment:
        return (
            f"Due {assignment.due_on}{grace}: {requirement.due_days} days after it was assigned "
            f"on {assignment.assigned_on}."
        )
    hired = assignment.person.hire_date
    if hired is None:
        return "No due date yet: your hire date is missing from the HR records, so L&D will set one."
    return f"Due {assignment.due_on}{grace}: {requirement.due_days} days after your hire date, {hired}."


def obligations_of(
    db: Session, *, person_id: int, today: dt.date, include_closed: bool = False
) -> list[Obligation]:
    """A person's assignments, most urgent first."""
    stmt = select(Assignment).where(Assignment.person_id == person_id).options(*_load())
    if not include_closed:
        stmt = stmt.where(Assignment.removed_at.is_(None))
    return _by_urgency([obligation(a, today) for a in db.scalars(stmt)])


def _by_urgency(found: list[Obligation]) -> list[Obligation]:
    return sorted(
        found,
        key=lambda o: (URGENCY.index(o.status), o.assignment.due_on or dt.date.max, o.assignment.person.name),
    )


def team_obligations(db: Session, *, manager_id: int, today: dt.date) -> list[Obligation]:
    """Everyone below the manager, overdue and expired first."""
    stmt = (
        select(Assignment)
        .where(Assignment.person_id.in_(reports_subtree(manager_id)), Assignment.removed_at.is_(None))
        .options(*_load())
        .limit(2000)
    )
    return _by_urgency([obligation(a, today) for a in db.scalars(stmt)])


def get_obligation(db: Session, *, assignment_id: int, today: dt.date) -> Obligation:
    assignment = db.scalar(select(Assignment).where(Assignment.id == assignment_id).options(*_load()))
    if assignment is None:
        raise NotFound(f"No assignment {assignment_id}.")
    return obligation(assignment, today)


def team_late_count(db: Session, *, manager_id: int, today: dt.date) -> int:
    """How many of the manager's reports' assignments are overdue or expired (one COUNT)."""
    late = [AssignmentStatus.overdue.value, AssignmentStatus.expired.value]
    stmt = select(func.count()).where(
        Assignment.person_id.in_(reports_subtree(manager_id)),
        Assignment.removed_at.is_(None),
        status_sql(today).in_(late),
    )
    return int(db.scalar(stmt) or 0)


def assignment_history(db: Session, *, assignment_id: int) -> dict[str, list[Any]]:
    """An assignment's audit rows, closed certification cycles and exemptions, oldest first."""
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.assignment_id == assignment_id).order_by(AuditEvent.id)
    )
    cycles = db.scalars(
        select(AssignmentCycle)
        .where(AssignmentCycle.assignment_id == assignment_id)
        .order_by(AssignmentCycle.cycle)
    )
    exemptions = db.scalars(
        select(Exemption).where(Exemption.assignment_id == assignment_id).order_by(Exemption.id)
    )
    return {"events": list(events), "cycles": list(cycles), "exemptions": list(exemptions)}


def cell_obligations(
    db: Session, *, requirement_id: int, unit_id: int | None, today: dt.date, state: str | None = None
) -> list[Obligation]:
    """The people behind one heatmap cell (a requirement in a unit's subtree), worst first."""
    stmt = select(Assignment).where(
        Assignment.requirement_id == requirement_id, Assignment.removed_at.is_(None)
    )
    if unit_id:
        unit = db.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFound(f"No org unit {unit_id}.")
        low, high = unit.subtree_bounds()
        stmt = stmt.where(
            Assignment.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path >= low, OrgUnit.path < high))
        )
    if state:
        stmt = stmt.where(status_sql(today) == state)
    return _by_urgency([obligation(a, today) for a in db.scalars(stmt.options(*_load()).limit(1000))])


def expiring(db: Session, *, days: int, today: dt.date, limit: int = 500) -> list[Obligation]:
    """Certificates that lapse within `days`, soonest first."""
    stmt = (
        select(Assignment)
        .where(
            Assignment.removed_at.is_(None),
            Assignment.completed_on.is_not(None),
            Assignment.expires_on > today,
            Assignment.expires_on <= today + dt.timedelta(days=days),
        )
        .order_by(Assignment.expires_on, Assignment.id)
        .options(*_load())
        .limit(limit)
    )
    return [obligation(a, today) for a in db.scalars(stmt)]


def exceptions(db: Session, *, today: dt.date, limit: int = 500) -> list[Obligation]:
    """Assignments with no due date because the policy's anchor (the hire date) is missing."""
    stmt = (
        select(Assignment)
        .where(
            Assignment.removed_at.is_(None), Assignment.due_on.is_(None), Assignment.completed_on.is_(None)
        )
        .order_by(Assignment.id)
        .options(*_load())
        .limit(limit)
    )
    return [obligation(a, today) for a in db.scalars(stmt)]


EXPORT_HEADER = [
    "assignment_id",
    "person_external_id",
    "person",
    "email",
    "org_unit",
    "requirement",
    "status",
    "assigned_on",
    "due_on",
    "completed_on",
    "expires_on",
    "cycle",
]


def export_rows(db: Session, *, today: dt.date, requirement_id: int | None = None) -> Iterator[list[str]]:
    """Every open assignment as CSV cells, streamed in id order (pages of 1000)."""
    yield EXPORT_HEADER
    last = 0
    while True:
        stmt = (
            select(Assignment, status_sql(today), Person, OrgUnit.full_name, Requirement.name)
            .join(Person, Person.id == Assignment.person_id)
            .join(Requirement, Requirement.id == Assignment.requirement_id)
            .outerjoin(OrgUnit, OrgUnit.id == Assignment.org_unit_id)
            .where(Assignment.removed_at.is_(None), Assignment.id > last)
            .order_by(Assignment.id)
            .limit(1000)
        )
        if requirement_id:
            stmt = stmt.where(Assignment.requirement_id == requirement_id)
        rows = list(db.execute(stmt))
        if not rows:
            return
        for a, state, person, unit_name, name in rows:
            yield [
                str(a.id),
                person.external_id,
                person.name,
                person.email or "",
                unit_name or "",
                name,
                state,
                _day(a.assigned_on),
                _day(a.due_on),
                _day(a.completed_on),
                _day(a.expires_on),
                str(a.cycle),
            ]
        last = rows[-1][0].id


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""

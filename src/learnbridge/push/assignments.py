"""Turning requirements into assignments, set-based.

One algorithm serves the full recompute and the incremental ones (after a person changes, or a
requirement does): the scope only narrows the people and requirements looked at. Each requirement's
audience is written into a temporary table of targets with one INSERT ... SELECT; then a fixed number of
statements bring the assignments in line with the targets (add, re-add, close, refresh due dates,
follow moves), each writing its audit rows set-based. The unique (requirement, person) constraint and
ON CONFLICT DO NOTHING make concurrent recomputes safe: a pair is assigned once, audited once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from learnbridge.core.db import rows_changed, table_of, utcnow
from learnbridge.core.progress import Progress, no_progress
from learnbridge.people.models import Person
from learnbridge.push import notices, platform_events
from learnbridge.push.audit import Actor, batch_rows, date_text, record_batch
from learnbridge.push.compliance_counts import pairs_of, refresh_counts
from learnbridge.push.date_rules import DateSql, add_days_sql, add_months_sql
from learnbridge.push.models import (
    Assignment,
    AudienceRule,
    AuditAction,
    DueKind,
    Requirement,
)
from learnbridge.push.targets import TARGETS, clear_targets, fill_targets, is_target

# Above this many people an incremental recompute looks at everyone instead (one plan, no huge IN list).
MAX_SCOPED_PEOPLE = 5000


@dataclass
class RecomputeResult:
    people: int = 0
    requirements: int = 0
    created: int = 0
    reactivated: int = 0
    closed: int = 0
    due_changed: int = 0
    # Every row this recompute changed has Assignment.batch starting with this (see push.preview).
    batch: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    @property
    def changed(self) -> int:
        return self.created + self.reactivated + self.closed + self.due_changed


def recompute(
    db: Session,
    *,
    actor: Actor,
    today: dt.date | None = None,
    requirement_ids: Collection[int] | None = None,
    person_ids: Collection[int] | None = None,
    progress: Progress = no_progress,
    reason: str = "",
    tell: bool = True,
) -> RecomputeResult:
    """Bring assignments in line with the requirements for the people and requirements in scope
    (None = all). Active requirements assign; draft and archived ones only close what they had.
    `reason` goes on the audit rows of the people it assigns (a manager's reason for assigning) and in
    the inbox message each of them gets (`tell`; a preview, rolled back, tells nobody)."""
    today = today or utcnow().date()
    if person_ids is not None and len(person_ids) > MAX_SCOPED_PEOPLE:
        person_ids = None
    requirements = _requirements(db, requirement_ids)
    result = RecomputeResult(requirements=len(requirements))
    if not requirements or (person_ids is not None and not person_ids):
        return result
    counted_before = pairs_of(db, person_ids=person_ids) if person_ids is not None else set()
    fill_targets(db, requirements, person_ids, progress)
    scope = _scope(requirement_ids, person_ids)
    batch = result.batch
    audited = platform_events.audit_mark(db)
    result.created = _add(db, actor, today, scope, f"{batch}:add", reason)
    progress("assign", 1, 4)
    result.reactivated = _readd(db, actor, today, scope, f"{batch}:readd", reason)
    if result.created or result.reactivated:
        platform_events.queue_assignment_statements(db, after=audited)
        if tell:
            tags = [f"{batch}:add", f"{batch}:readd"]
            notices.tell_assigned(db, batches=tags, reason=reason, scope=scope.clause())
    result.closed = _close(db, actor, scope, f"{batch}:close")
    progress("assign", 2, 4)
    result.due_changed = _refresh_due(db, actor, scope, f"{batch}:due")
    _follow_moves(db, scope)
    progress("assign", 4, 4)
    result.people = _count_people(db, person_ids)
    clear_targets(db)
    if person_ids is not None:
        refresh_counts(db, today=today, pairs=counted_before | pairs_of(db, person_ids=person_ids))
    else:
        refresh_counts(db, today=today, requirement_ids=requirement_ids)
    return result


def _requirements(db: Session, ids: Collection[int] | None) -> list[Requirement]:
    stmt = select(Requirement).options(selectinload(Requirement.rules).selectinload(AudienceRule.org_unit))
    if ids is not None:
        stmt = stmt.where(Requirement.id.in_(list(ids)))
    return list(db.scalars(stmt.order_by(Requirement.id)))


@dataclass(frozen=True)
class _Scope:
    requirement_ids: list[int] | None
    person_ids: list[int] | None

    def clause(self) -> ColumnElement[bool]:
        parts: list[ColumnElement[bool]] = []
        if self.requirement_ids is not None:
            parts.append(Assignment.requirement_id.in_(self.requirement_ids))
        if self.person_ids is not None:
            parts.append(Assignment.person_id.in_(self.person_ids))
        return and_(true(), *parts)


def _scope(requirement_ids: Collection[int] | None, person_ids: Collection[int] | None) -> _Scope:
    return _Scope(
        list(requirement_ids) if requirement_ids is not None else None,
        list(person_ids) if person_ids is not None else None,
    )


def _due_sql(dialect: str, assigned_on: DateSql) -> ColumnElement[dt.date]:
    """The due date the requirement's policy gives (joined: requirements r, people p)."""
    r = Requirement
    return case(
        (r.due_kind == DueKind.fixed.value, r.due_date),
        (r.due_kind == DueKind.after_assignment.value, add_days_sql(dialect, assigned_on, r.due_days)),
        else_=add_days_sql(dialect, Person.hire_date, r.due_days),
    )


def _add(db: Session, actor: Actor, today: dt.date, scope: _Scope, tag: str, reason: str) -> int:
    """New pairs, with the latest completion of any of the requirement's items already counted."""
    dialect = db.get_bind().dialect.name
    t, r = TARGETS.c, Requirement
    latest = t.latest
    due = _due_sql(dialect, literal(today, Assignment.assigned_on.type))
    expires = case((r.validity_months.is_not(None), add_months_sql(dialect, latest, r.validity_months)))
    window = add_days_sql(dialect, expires, -r.window_days)
    rows = (
        select(
            t.requirement_id,
            t.person_id,
            Person.org_unit_id,
            literal(today, Assignment.assigned_on.type),
            due,
            add_days_sql(dialect, due, r.grace_days),
            latest,
            expires,
            window,
            literal(tag),
            literal(utcnow(), Assignment.updated_at.type),
        )
        .join(Person, Person.id == t.person_id)
        .join(r, r.id == t.requirement_id)
        .where(t.is_new.is_(True))
    )
    columns = [
        "requirement_id",
        "person_id",
        "org_unit_id",
        "assigned_on",
        "due_on",
        "overdue_from",
        "completed_on",
        "expires_on",
        "window_opens_on",
        "batch",
        "updated_at",
    ]
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = dialect_insert(table_of(Assignment)).from_select(columns, rows).on_conflict_do_nothing()
    created = rows_changed(db.execute(stmt, execution_options={"preserve_rowcount": True}))
    if created:
        detail = literal("due ") + date_text(Assignment.due_on)
        rows = batch_rows(tag, detail, scope.clause())
        record_batch(db, actor=actor, action=AuditAction.assigned, rows=rows, reason=reason)
    return created


def _readd(db: Session, actor: Actor, today: dt.date, scope: _Scope, tag: str, reason: str) -> int:
    stmt = (
        update(Assignment)
        .where(Assignment.removed_at.is_not(None), scope.clause(), is_target())
        .values(removed_at=None, assigned_on=today, batch=tag)
        .execution_options(synchronize_session=False)
    )
    count = rows_changed(db.execute(stmt))
    if count:
        rows = batch_rows(tag, literal(""), scope.clause())
        record_batch(db, actor=actor, action=AuditAction.reassigned, rows=rows, reason=reason)
    return count


def _close(db: Session, actor: Actor, scope: _Scope, tag: str) -> int:
    stmt = (
        update(Assignment)
        .where(Assignment.removed_at.is_(None), scope.clause(), ~is_target())
        .values(removed_at=utcnow(), batch=tag)
        .execution_options(synchronize_session=False)
    )
    count = rows_changed(db.execute(stmt))
    if count:
        detail = literal("no longer in the audience")
        record_batch(
            db, actor=actor, action=AuditAction.unassigned, rows=batch_rows(tag, detail, scope.clause())
        )
    return count


def _refresh_due(db: Session, actor: Actor, scope: _Scope, tag: str) -> int:
    """Open assignments follow the policy (a changed rule, a corrected hire date); overrides stay."""
    dialect = db.get_bind().dialect.name
    a, r = Assignment, Requirement
    due = _due_sql(dialect, a.assigned_on)
    overdue = add_days_sql(dialect, due, r.grace_days)
    where = (
        a.requirement_id == r.id,
        a.person_id == Person.id,
        a.removed_at.is_(None),
        a.completed_on.is_(None),
        a.due_overridden.is_(False),
        scope.clause(),
        or_(a.due_on.is_distinct_from(due), a.overdue_from.is_distinct_from(overdue)),
    )
    rows = select(
        a.requirement_id, a.person_id, a.id, date_text(a.due_on) + literal(" -> ") + date_text(due)
    ).where(*where)
    changed = record_batch(db, actor=actor, action=AuditAction.due_changed, rows=rows)
    if changed:
        stmt = (
            update(a)
            .where(*where)
            .values(due_on=due, overdue_from=overdue, batch=tag)
            .execution_options(synchronize_session=False)
        )
        db.execute(stmt)
    return changed


def _follow_moves(db: Session, scope: _Scope) -> None:
    a = Assignment
    stmt = (
        update(a)
        .where(a.person_id == Person.id, scope.clause(), a.org_unit_id.is_distinct_from(Person.org_unit_id))
        .values(org_unit_id=Person.org_unit_id)
        .execution_options(synchronize_session=False)
    )
    db.execute(stmt)


def _count_people(db: Session, person_ids: Collection[int] | None) -> int:
    if person_ids is not None:
        return len(person_ids)
    return int(db.scalar(select(func.count()).select_from(Person).where(Person.active.is_(True))) or 0)

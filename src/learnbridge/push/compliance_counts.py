"""The compliance counts table (see models.ComplianceCount): refreshing it and reading from it.

Refreshes are set-based and scoped: the (requirement, unit) pairs a change touched, the requirements a
requirement change touched, or everything (the full recompute, the daily rebuild). Readers ask for
counts grouped by an expression over the unit (`OrgUnit` is joined) and get the same answer from the
table or, when it is not for today, from the assignments themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from learnbridge.core.db import table_of
from learnbridge.people.models import OrgUnit
from learnbridge.push.date_rules import status_sql
from learnbridge.push.models import Assignment, AssignmentStatus, ComplianceCount

# The statuses of open assignments, each a column of the counts table.
STATES = [s for s in AssignmentStatus if s != AssignmentStatus.no_longer_required]
Pair = tuple[int, int]
Counts = dict[str, int]


def _unit_key() -> ColumnElement[int]:
    # A literal 0 (not a bound parameter), so PostgreSQL sees the same expression in GROUP BY.
    return func.coalesce(Assignment.org_unit_id, literal_column("0"))


def refresh_counts(
    db: Session,
    *,
    today: dt.date,
    requirement_ids: Collection[int] | None = None,
    pairs: Collection[Pair] | None = None,
) -> None:
    """Recount the given (requirement, unit) pairs, or requirements, or (neither given) everything."""
    if pairs is not None:
        for chunk in _chunks(sorted(set(pairs)), 400):
            _recount(db, today, _assignments_in(chunk), _counts_in(chunk))
        return
    if requirement_ids is not None:
        ids = list(requirement_ids)
        _recount(db, today, Assignment.requirement_id.in_(ids), ComplianceCount.requirement_id.in_(ids))
        return
    _recount(db, today, literal(True), literal(True))


def _recount(
    db: Session, today: dt.date, assignments: ColumnElement[bool], counts: ColumnElement[bool]
) -> None:
    db.execute(delete(ComplianceCount).where(counts).execution_options(synchronize_session=False))
    # The status once per row, then one sum per status.
    each = (
        select(Assignment.requirement_id, _unit_key().label("unit"), status_sql(today).label("state"))
        .where(Assignment.removed_at.is_(None), assignments)
        .subquery()
    )
    rows = select(
        each.c.requirement_id,
        each.c.unit,
        literal(today, ComplianceCount.as_of.type),
        *(func.sum(case((each.c.state == s.value, 1), else_=0)) for s in STATES),
    ).group_by(each.c.requirement_id, each.c.unit)
    columns = ["requirement_id", "org_unit_id", "as_of", *(s.value for s in STATES)]
    db.execute(insert(table_of(ComplianceCount)).from_select(columns, rows))


def _assignments_in(pairs: list[Pair]) -> ColumnElement[bool]:
    return _in_pairs(Assignment.requirement_id, Assignment.org_unit_id, pairs, none_is_zero=True)


def _counts_in(pairs: list[Pair]) -> ColumnElement[bool]:
    return _in_pairs(ComplianceCount.requirement_id, ComplianceCount.org_unit_id, pairs, none_is_zero=False)


def _in_pairs(
    requirement: InstrumentedAttribute[int],
    unit: InstrumentedAttribute[int] | InstrumentedAttribute[int | None],
    pairs: list[Pair],
    *,
    none_is_zero: bool,
) -> ColumnElement[bool]:
    """(requirement, unit) in pairs, written as one OR term per unit so that each term is a range of
    the (requirement_id, org_unit_id) index (a row-value IN list is scanned on SQLite)."""
    by_unit: dict[int, list[int]] = {}
    for requirement_id, unit_id in pairs:
        by_unit.setdefault(unit_id, []).append(requirement_id)
    return or_(
        *(
            and_(unit.is_(None) if none_is_zero and u == 0 else unit == u, requirement.in_(ids))
            for u, ids in by_unit.items()
        )
    )


def _chunks(values: list[Pair], size: int) -> Iterable[list[Pair]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def pairs_of(
    db: Session, *, person_ids: Collection[int] = (), assignment_ids: Collection[int] = ()
) -> set[Pair]:
    """The (requirement, unit) pairs these people's (or these) assignments count in right now."""
    where = []
    if person_ids:
        where.append(Assignment.person_id.in_(list(person_ids)))
    if assignment_ids:
        where.append(Assignment.id.in_(list(assignment_ids)))
    if not where:
        return set()
    stmt = select(Assignment.requirement_id, _unit_key()).where(or_(*where)).distinct()
    return {(int(r), int(u)) for r, u in db.execute(stmt)}


def counts_fresh(db: Session, *, today: dt.date) -> bool:
    """The table is for today (or there is nothing to count)."""
    oldest = db.scalar(select(func.min(ComplianceCount.as_of)))
    if oldest is None:
        return not db.scalar(select(exists().where(Assignment.removed_at.is_(None))))
    newest = db.scalar(select(func.max(ComplianceCount.as_of)))
    return bool(oldest == today and newest == today)


def grouped_counts(
    db: Session,
    *,
    today: dt.date,
    group: ColumnElement[int] | None,
    where: ColumnElement[bool],
    requirement_ids: list[int],
) -> dict[tuple[int, int | None], Counts]:
    """Open assignments per (requirement, group) and status. `group` and `where` may use OrgUnit,
    joined on the unit (outer: people without a unit have no OrgUnit row)."""
    key = group if group is not None else literal(0)
    if counts_fresh(db, today=today):
        c = ComplianceCount
        stmt = (
            select(c.requirement_id, key, *(func.sum(getattr(c, s.value)) for s in STATES))
            .outerjoin(OrgUnit, OrgUnit.id == c.org_unit_id)
            .where(c.requirement_id.in_(requirement_ids), where)
            .group_by(c.requirement_id, key)
        )
        return {
            (r, g): dict(zip([s.value for s in STATES], map(int, ns), strict=True))
            for r, g, *ns in db.execute(stmt)
        }
    st = status_sql(today)
    stmt2 = (
        select(Assignment.requirement_id, key, st, func.count())
        .outerjoin(OrgUnit, OrgUnit.id == Assignment.org_unit_id)
        .where(Assignment.removed_at.is_(None), Assignment.requirement_id.in_(requirement_ids), where)
        .group_by(Assignment.requirement_id, key, st)
    )
    found: dict[tuple[int, int | None], Counts] = {}
    for r, g, state, n in db.execute(stmt2):
        found.setdefault((r, g), {})[state] = int(n)
    return found


def subtree_clause(unit: OrgUnit | None) -> ColumnElement[bool]:
    if unit is None:
        return literal(True)
    low, high = unit.subtree_bounds()
    return and_(OrgUnit.path >= low, OrgUnit.path < high)

"""The oversight heatmap: compliance per requirement and unit, and organisation-wide counts, read from
the compliance counts (push.compliance_counts) with the units mapped to columns in SQL.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Integer, and_, case, literal, select
from sqlalchemy.orm import Session

from learnbridge.core.errors import NotFound
from learnbridge.people.models import OrgUnit
from learnbridge.push.compliance_counts import grouped_counts, subtree_clause
from learnbridge.push.models import (
    COMPLIANT,
    AssignmentStatus,
    Requirement,
    RequirementOrigin,
    RequirementStatus,
)


@dataclass
class Cell:
    """Open assignments in one place, by status."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def compliant(self) -> int:
        return sum(self.counts.get(s.value, 0) for s in COMPLIANT)

    @property
    def overdue(self) -> int:
        return self.counts.get(AssignmentStatus.overdue.value, 0) + self.counts.get(
            AssignmentStatus.expired.value, 0
        )

    @property
    def exempt(self) -> int:
        return self.counts.get(AssignmentStatus.exempt.value, 0)

    @property
    def counted(self) -> int:
        """Exempt people are out of the denominator."""
        return self.total - self.exempt

    @property
    def percent(self) -> float | None:
        return round(100 * self.compliant / self.counted, 1) if self.counted else None

    @property
    def tone(self) -> str:
        """The cell's colour: red only where someone is overdue or expired; green from GOOD_PERCENT
        compliant with nothing overdue; amber where people are still within their dates; grey where no
        one is assigned."""
        if not self.total:
            return "none"
        if self.overdue:
            return "poor"
        percent = self.percent
        return "good" if percent is None or percent >= GOOD_PERCENT else "fair"

    def add(self, counts: dict[str, int]) -> None:
        for state, n in counts.items():
            self.counts[state] = self.counts.get(state, 0) + n


GOOD_PERCENT = 90


@dataclass
class Heatmap:
    unit: OrgUnit | None
    columns: list[OrgUnit]
    # Column ids whose units have children (for drill-down links).
    parents: set[int]
    requirements: list[Requirement]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    totals: dict[int, Cell] = field(default_factory=dict)

    def cell(self, requirement_id: int, unit_id: int) -> Cell:
        return self.cells.get((requirement_id, unit_id), Cell())


def heatmap(db: Session, *, unit_id: int | None, today: dt.date) -> Heatmap:
    """Compliance % per active requirement (rows) and unit (columns: the unit's children, each with
    its subtree, and the unit itself for people placed directly in it). One grouped query: each
    unit's row is mapped to its column by path range in SQL."""
    unit = db.get(OrgUnit, unit_id) if unit_id else _single_root(db)
    if unit_id and unit is None:
        raise NotFound(f"No org unit {unit_id}.")
    parent = unit.id if unit else None
    columns = list(db.scalars(select(OrgUnit).where(OrgUnit.parent_id == parent).order_by(OrgUnit.name)))
    with_children = select(OrgUnit.parent_id).where(OrgUnit.parent_id.in_([c.id for c in columns])).distinct()
    parents = {int(p) for p in db.scalars(with_children) if p is not None}
    if unit is not None:
        columns.insert(0, unit)
    requirements = _active_requirements(db)
    result = Heatmap(unit=unit, columns=columns, parents=parents, requirements=requirements)
    found = grouped_counts(
        db,
        today=today,
        group=_column_sql(columns, unit),
        where=subtree_clause(unit),
        requirement_ids=[r.id for r in requirements],
    )
    for (requirement_id, column), counts in found.items():
        result.totals.setdefault(requirement_id, Cell()).add(counts)
        if column is not None:
            result.cells.setdefault((requirement_id, column), Cell()).add(counts)
    if unit is not None and not _anyone_in(result, unit.id, len(columns)):
        columns.remove(unit)  # "(itself)" would repeat "All", or show only dashes
    return result


def _anyone_in(result: Heatmap, unit_id: int, column_count: int) -> bool:
    """Whether the unit's own column says something "All" does not: someone placed directly in it,
    beside other columns."""
    if column_count == 1:  # no child units: the column would be "All" again
        return False
    return any(result.cell(r.id, unit_id).total for r in result.requirements)


def _column_sql(columns: list[OrgUnit], unit: OrgUnit | None) -> ColumnElement[int]:
    """The column a unit rolls up into: the child whose subtree holds it, or the unit itself."""
    whens = [
        (and_(OrgUnit.path >= c.subtree_bounds()[0], OrgUnit.path < c.subtree_bounds()[1]), c.id)
        for c in columns
        if unit is None or c.id != unit.id
    ]
    if unit is not None:
        whens.append((OrgUnit.id == unit.id, unit.id))
    if not whens:
        return literal(None, Integer)
    return case(*whens, else_=None)


def _single_root(db: Session) -> OrgUnit | None:
    """An organisation with one top unit opens on that unit's departments."""
    roots = list(db.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).limit(2)))
    return roots[0] if len(roots) == 1 else None


def _active_requirements(db: Session) -> list[Requirement]:
    stmt = select(Requirement).where(
        Requirement.status == RequirementStatus.active.value,
        Requirement.origin == RequirementOrigin.requirement.value,
    )
    return list(db.scalars(stmt.order_by(Requirement.name)))


def status_counts(db: Session, *, today: dt.date) -> dict[str, int]:
    """Open assignments by status, organisation-wide."""
    ids = list(db.scalars(select(Requirement.id)))
    total = Cell()
    for counts in grouped_counts(
        db, today=today, group=None, where=literal(True), requirement_ids=ids
    ).values():
        total.add(counts)
    return {state: n for state, n in total.counts.items() if n}

"""A manager's team compliance: one row per person below them (progress, overdue, next due), filtered
by status, requirement and unit and sorted by any column; each row expands to the person's assignments.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from learnbridge.people.models import OrgUnit, Person
from learnbridge.push.models import COMPLIANT, AssignmentStatus, Requirement
from learnbridge.push.obligation_views import URGENCY, Obligation, team_members, team_obligations

SORTS = {
    "urgency": "most overdue first",
    "name": "name",
    "unit": "unit",
    "progress": "least progress first",
    "overdue": "most overdue first",
    "next_due": "next due first",
}
LATE = (AssignmentStatus.overdue, AssignmentStatus.expired)


@dataclass
class TeamRow:
    """One person and their assignments (those the filters keep)."""

    person: Person
    obligations: list[Obligation] = field(default_factory=list)

    @property
    def counted(self) -> list[Obligation]:
        """Exempt and no-longer-required assignments are out of the progress."""
        left_out = (AssignmentStatus.exempt, AssignmentStatus.no_longer_required)
        return [o for o in self.obligations if o.status not in left_out]

    @property
    def compliant(self) -> int:
        return sum(1 for o in self.counted if o.status in COMPLIANT)

    @property
    def percent(self) -> int | None:
        counted = len(self.counted)
        return round(100 * self.compliant / counted) if counted else None

    @property
    def overdue(self) -> int:
        return sum(1 for o in self.obligations if o.status in LATE)

    @property
    def next_due(self) -> dt.date | None:
        """The earliest due date of what is still to do."""
        open_dates = [
            o.assignment.due_on
            for o in self.counted
            if o.status not in COMPLIANT and o.assignment.due_on is not None
        ]
        return min(open_dates, default=None)

    @property
    def unit_name(self) -> str:
        return self.person.org_unit.name if self.person.org_unit else ""


@dataclass
class TeamView:
    rows: list[TeamRow]
    requirements: list[Requirement]
    units: list[OrgUnit]
    people: int  # everyone below the manager, before the filters

    @property
    def overdue_people(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


def team_view(
    db: Session,
    *,
    manager_id: int,
    today: dt.date,
    status: AssignmentStatus | None = None,
    requirement_id: int | None = None,
    unit_id: int | None = None,
    sort: str = "urgency",
    descending: bool = False,
) -> TeamView:
    """Everyone active below the manager with their assignments. A status or requirement filter keeps the
    people with a matching assignment, and only those assignments; a unit filter keeps the people
    placed in that unit or below it."""
    members = team_members(db, manager_id=manager_id)
    found = team_obligations(db, manager_id=manager_id, today=today)
    by_person: dict[int, list[Obligation]] = defaultdict(list)
    for o in found:
        by_person[o.assignment.person_id].append(o)
    requirements = {o.requirement.id: o.requirement for o in found}
    units = {m.org_unit.id: m.org_unit for m in members if m.org_unit is not None}
    rows = []
    for person in members:
        kept = [
            o
            for o in by_person.get(person.id, [])
            if (status is None or o.status == status)
            and (requirement_id is None or o.requirement.id == requirement_id)
        ]
        if (status is not None or requirement_id is not None) and not kept:
            continue
        if unit_id is not None and not _in_unit(person, units.get(unit_id)):
            continue
        rows.append(TeamRow(person=person, obligations=kept))
    return TeamView(
        rows=_sorted(rows, sort, descending),
        requirements=sorted(requirements.values(), key=lambda r: r.name.casefold()),
        units=sorted(units.values(), key=lambda u: u.full_name.casefold()),
        people=len(members),
    )


def _in_unit(person: Person, unit: OrgUnit | None) -> bool:
    if unit is None or person.org_unit is None:
        return False
    low, high = unit.subtree_bounds()
    return low <= person.org_unit.path < high


def _sorted(rows: list[TeamRow], sort: str, descending: bool) -> list[TeamRow]:
    def name(row: TeamRow) -> str:
        return row.person.name.casefold()

    def worst(row: TeamRow) -> int:
        return min((URGENCY.index(o.status) for o in row.obligations if o.status in URGENCY), default=99)

    keys = {
        "urgency": lambda r: (worst(r), -r.overdue, r.next_due or dt.date.max, name(r)),
        "name": lambda r: (name(r),),
        "unit": lambda r: (r.unit_name.casefold(), name(r)),
        "progress": lambda r: (r.percent if r.percent is not None else 101, name(r)),
        "overdue": lambda r: (-r.overdue, name(r)),
        "next_due": lambda r: (r.next_due or dt.date.max, name(r)),
    }
    return sorted(rows, key=keys.get(sort, keys["urgency"]), reverse=descending)

"""A manager's team compliance: one row per person below them (progress, overdue, next due), filtered
by status, requirement and unit and sorted by any column; each row expands to the person's assignments.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import reports_subtree
from learnbridge.people.models import OrgUnit, Person
from learnbridge.push.date_rules import status_sql
from learnbridge.push.models import COMPLIANT, Assignment, AssignmentStatus, Requirement
from learnbridge.push.obligation_views import URGENCY

SORTS = {
    "urgency": "most overdue first",
    "name": "name",
    "unit": "unit",
    "progress": "least progress first",
    "overdue": "most overdue first",
    "next_due": "next due first",
}
LATE = (AssignmentStatus.overdue, AssignmentStatus.expired)
PAGE = 50  # people a page
MOST = 5000  # people below one manager the page reads at most


@dataclass(frozen=True)
class Member:
    """Someone below the manager: what the page shows of them."""

    id: int
    name: str
    org_unit: OrgUnit | None


@dataclass(frozen=True)
class TeamLine:
    """One assignment as the team page shows and counts it (columns, not the ORM's objects: a big team
    has thousands)."""

    assignment_id: int
    requirement_id: int
    requirement: str
    status: AssignmentStatus
    due_on: dt.date | None
    completed_on: dt.date | None
    expires_on: dt.date | None


@dataclass(frozen=True)
class RequirementName:
    id: int
    name: str


@dataclass
class TeamRow:
    """One person and their assignments (those the filters keep)."""

    person: Member
    obligations: list[TeamLine] = field(default_factory=list)

    @property
    def counted(self) -> list[TeamLine]:
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
        open_dates = [o.due_on for o in self.counted if o.status not in COMPLIANT and o.due_on is not None]
        return min(open_dates, default=None)

    @property
    def unit_name(self) -> str:
        return self.person.org_unit.name if self.person.org_unit else ""


@dataclass
class TeamView:
    rows: list[TeamRow]  # the page's
    requirements: list[RequirementName]
    units: list[OrgUnit]
    members: list[Member]  # everyone below the manager, by name, before the filters
    matched: int  # the people the filters keep, on every page
    overdue_people: int  # of those, the ones with something overdue or expired
    page: int = 1
    pages: int = 1

    @property
    def people(self) -> int:
        return len(self.members)


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
    page: int | None = 1,
    person_ids: Collection[int] | None = None,
) -> TeamView:
    """Everyone active below the manager with their assignments, `PAGE` people a page (`page=None`: all
    of them). A status or requirement filter keeps the people with a matching assignment, and only those
    assignments; a unit filter keeps the people placed in that unit or below it; `person_ids` keeps only
    those people. Three queries, whatever
    the team's size; only the rows are counted in Python."""
    below = reports_subtree(manager_id)
    if person_ids is not None:  # only these (a bulk action's people), still only those below the manager
        below = below.where(below.selected_columns[0].in_(list(person_ids)))
    people = db.execute(
        select(Person.id, Person.name, Person.org_unit_id)
        .where(Person.id.in_(below), Person.active.is_(True))
        .order_by(Person.name, Person.id)
        .limit(MOST)
    ).all()
    unit_ids = {u for _, _, u in people if u is not None}
    units = {u.id: u for u in db.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids)))} if unit_ids else {}
    members = [Member(id=i, name=n, org_unit=units.get(u) if u else None) for i, n, u in people]
    by_person: dict[int, list[TeamLine]] = defaultdict(list)
    requirements: dict[int, str] = {}
    for line in db.execute(
        select(
            Assignment.id,
            Assignment.person_id,
            Assignment.requirement_id,
            Requirement.name,
            status_sql(today),
            Assignment.due_on,
            Assignment.completed_on,
            Assignment.expires_on,
        )
        .join(Requirement, Requirement.id == Assignment.requirement_id)
        .where(Assignment.person_id.in_(below), Assignment.removed_at.is_(None))
    ):
        requirements[line[2]] = line[3]
        by_person[line[1]].append(
            TeamLine(line[0], line[2], line[3], AssignmentStatus(line[4]), line[5], line[6], line[7])
        )
    rows = []
    for person in members:
        kept = [
            o
            for o in by_person.get(person.id, [])
            if (status is None or o.status == status)
            and (requirement_id is None or o.requirement_id == requirement_id)
        ]
        if (status is not None or requirement_id is not None) and not kept:
            continue
        if unit_id is not None and not _in_unit(person, units.get(unit_id)):
            continue
        rows.append(TeamRow(person=person, obligations=sorted(kept, key=_urgency)))
    rows = _sorted(rows, sort, descending)
    pages = max(1, -(-len(rows) // PAGE))
    shown = min(max(page, 1), pages) if page is not None else 1
    return TeamView(
        rows=rows[(shown - 1) * PAGE : shown * PAGE] if page is not None else rows,
        requirements=sorted(
            (RequirementName(i, n) for i, n in requirements.items()), key=lambda r: r.name.casefold()
        ),
        units=sorted(units.values(), key=lambda u: u.full_name.casefold()),
        members=members,
        matched=len(rows),
        overdue_people=sum(1 for row in rows if row.overdue),
        page=shown,
        pages=pages if page is not None else 1,
    )


def _urgency(line: TeamLine) -> tuple[int, dt.date, str]:
    return (URGENCY.index(line.status), line.due_on or dt.date.max, line.requirement.casefold())


def _in_unit(person: Member, unit: OrgUnit | None) -> bool:
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

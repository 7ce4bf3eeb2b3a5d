"""The HR import's xAPI identifier columns (xapi_openid, xapi_accounts): checked against what is stored,
then written set-based. A column the file lacks leaves that kind of identifier alone for everyone; a
column it has makes each listed person's identifiers of that kind exactly the cell's (empty: none).
An identifier names one person at most: it may move between people inside one file, but one recorded
for someone the file does not list is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of
from learnbridge.core.errors import FieldError
from learnbridge.people.hr_csv import IDENTIFIER_COLUMNS, HrFile
from learnbridge.people.models import Person, PersonIdentifier

# The comparable form's prefix each column holds.
KINDS = {"xapi_openid": "openid:", "xapi_accounts": "account:"}


def load_identifiers(db: Session) -> dict[str, str]:
    """Every recorded identifier and the external id of the person it names."""
    stmt = select(PersonIdentifier.ifi, Person.external_id).join(
        Person, Person.id == PersonIdentifier.person_id
    )
    return dict(db.execute(stmt).all())


def check_identifiers(file: HrFile, stored: dict[str, str], errors: list[FieldError]) -> None:
    """An identifier the file gives someone must not stay with a person the file does not list."""
    in_file = {row.external_id for row in file.rows}
    for column in IDENTIFIER_COLUMNS:
        if column not in file.columns:
            continue
        for row in file.rows:
            for ifi in row.identifiers(column):
                owner = stored.get(ifi)
                if owner is not None and owner != row.external_id and owner not in in_file:
                    errors.append(
                        FieldError(row=row.row, field=column, message=f"{ifi!r} belongs to person {owner!r}")
                    )


@dataclass
class IdentifierPlan:
    """What writing the file's identifier columns changes."""

    remove: list[str] = field(default_factory=list)
    add: list[tuple[str, str]] = field(default_factory=list)  # (ifi, external id)
    # The people (external ids) whose identifiers change, and per column how many an empty cell cleared.
    changed: set[str] = field(default_factory=set)
    cleared: dict[str, int] = field(default_factory=dict)


def plan_identifiers(file: HrFile, stored: dict[str, str]) -> IdentifierPlan:
    """Compare the file's identifier columns with what is stored, one kind per column present."""
    plan = IdentifierPlan()
    in_file = {row.external_id for row in file.rows}
    for column, kind in KINDS.items():
        if column not in file.columns:
            continue
        wanted = {ifi: row.external_id for row in file.rows for ifi in row.identifiers(column)}
        had = {ext for ifi, ext in stored.items() if ifi.startswith(kind) and ext in in_file}
        gone = [
            (i, e) for i, e in stored.items() if i.startswith(kind) and e in in_file and wanted.get(i) != e
        ]
        new = [(i, e) for i, e in wanted.items() if stored.get(i) != e]
        plan.remove += [ifi for ifi, _ in gone]
        plan.add += new
        plan.changed |= {ext for _, ext in gone} | {ext for _, ext in new}
        if count := len(had - set(wanted.values())):
            plan.cleared[column] = count
    return plan


def write_identifiers(db: Session, plan: IdentifierPlan, *, ids: dict[str, int]) -> None:
    """Removals first, so an identifier moving between people is never held twice."""
    table = table_of(PersonIdentifier)
    for start in range(0, len(plan.remove), 5000):
        db.execute(table.delete().where(table.c.ifi.in_(plan.remove[start : start + 5000])))
    params = [{"ifi": ifi, "person_id": ids[ext]} for ifi, ext in plan.add]
    for start in range(0, len(params), 5000):
        db.execute(table.insert(), params[start : start + 5000])

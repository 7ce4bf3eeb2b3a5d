"""The HR import's checks of a file's rows against what is stored: an e-mail address (and an xAPI
identifier) ends up with one person only, managers are known, and the management chain has no loop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import FieldError, Invalid
from learnbridge.core.graph import find_cycles
from learnbridge.people.hr_csv import HrFile, PersonRow
from learnbridge.people.import_identifiers import check_identifiers
from learnbridge.people.models import Person


@dataclass
class Existing:
    """A stored person as the import compares a row with it."""

    id: int
    name: str
    name_key: str
    email: str | None
    mbox_sha1sum: str | None
    manager_id: int | None
    org_unit_id: int | None
    job_profile_id: int | None
    location: str | None
    hire_date: dt.date | None
    active: bool
    attributes: dict[str, Any]


def load_existing(db: Session) -> dict[str, Existing]:
    """Every stored person, by external id."""
    columns = [getattr(Person, name) for name in ("external_id", *Existing.__dataclass_fields__)]
    return {row[0]: Existing(*row[1:]) for row in db.execute(select(*columns))}


def _check_emails(rows: list[PersonRow], existing: dict[str, Existing], errors: list[FieldError]) -> None:
    """An address may move between people inside one file, but must end up with one person only."""
    final_owner = {person.email: ext for ext, person in existing.items() if person.email}
    for row in rows:
        old = existing.get(row.external_id)
        if old is not None and old.email and final_owner.get(old.email) == row.external_id:
            del final_owner[old.email]
    in_file = {row.external_id for row in rows}
    for row in rows:
        if row.email is None:
            continue
        owner = final_owner.get(row.email)
        if owner is not None and owner != row.external_id and owner not in in_file:
            errors.append(
                FieldError(row=row.row, field="email", message=f"{row.email!r} belongs to person {owner!r}")
            )
        final_owner[row.email] = row.external_id


def _check_managers(
    rows: list[PersonRow],
    existing: dict[str, Existing],
    id_by_external: dict[str, int],
    errors: list[FieldError],
) -> None:
    """Managers must be known (in the file or already stored) and the chain must have no cycle."""
    external_by_id = {pid: ext for ext, pid in id_by_external.items()}
    graph: dict[str, str | None] = {
        ext: external_by_id.get(p.manager_id) if p.manager_id else None for ext, p in existing.items()
    }
    row_of: dict[str, int] = {}
    for row in rows:
        graph[row.external_id] = row.manager_external_id
        row_of[row.external_id] = row.row
    for row in rows:
        if row.manager_external_id is not None and row.manager_external_id not in graph:
            errors.append(
                FieldError(
                    row=row.row,
                    field="manager_external_id",
                    message=f"{row.manager_external_id!r} is neither in the file nor already known",
                )
            )
    if errors:
        return
    for cycle in find_cycles(graph):
        for ext in cycle:
            if ext in row_of:
                chain = " -> ".join([*cycle[cycle.index(ext) :], *cycle[: cycle.index(ext) + 1]])
                errors.append(
                    FieldError(
                        row=row_of[ext], field="manager_external_id", message=f"manager chain loops: {chain}"
                    )
                )


def check_against_stored(file: HrFile, existing: dict[str, Existing], identifiers: dict[str, str]) -> None:
    """Invalid, naming every row, when the file's e-mail addresses, managers or xAPI identifiers clash
    with what is stored."""
    errors: list[FieldError] = []
    check_identifiers(file, identifiers, errors)
    if "email" in file.columns:
        _check_emails(file.rows, existing, errors)
    if "manager_external_id" in file.columns:
        id_by_external = {ext: person.id for ext, person in existing.items()}
        _check_managers(file.rows, existing, id_by_external, errors)
    if errors:
        raise Invalid(errors)

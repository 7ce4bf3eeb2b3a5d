"""HR CSV import: upsert by external id, all-or-nothing, every bad row reported.

The file's format and row rules are in `hr_csv`, the checks against what is stored (e-mail owners,
managers, loops in the management chain) in `import_checks`; this module writes the rows set-based.
Only the columns the file has are written: a column it lacks is left alone for everyone, and an empty
cell in a column it has clears that field (counted, per column, in the summary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of, utcnow
from learnbridge.core.errors import FieldError
from learnbridge.core.jobs import enqueue
from learnbridge.core.progress import Progress, no_progress
from learnbridge.core.text_keys import search_key
from learnbridge.people.hr_csv import ATTR_PREFIX, HrFile, PersonRow, parse_csv
from learnbridge.people.import_checks import Existing, check_against_stored, load_existing
from learnbridge.people.import_identifiers import (
    IdentifierPlan,
    load_identifiers,
    plan_identifiers,
    write_identifiers,
)
from learnbridge.people.models import JobProfile, OrgUnit, Person, mbox_sha1sum
from learnbridge.people.service import ensure_job_profiles, ensure_org_units

# The job kind announcing changed people ({"person_ids": [...]} or {"all": true}); push handles it.
PEOPLE_CHANGED = "people.changed"


# Each optional column, the person's field it fills, and what clearing it is called in the summary.
FIELDS = {
    "email": ("email", "e-mail address", "e-mail addresses"),
    "manager_external_id": ("manager_id", "manager", "managers"),
    "org_unit": ("org_unit_id", "org unit", "org units"),
    "job_profile": ("job_profile_id", "job profile", "job profiles"),
    "location": ("location", "location", "locations"),
    "hire_date": ("hire_date", "hire date", "hire dates"),
    "active": ("active", "", ""),  # an empty cell means active: never cleared
}
# The xAPI identifier columns (people.import_identifiers): what clearing them is called in the summary.
IDENTIFIER_WORDS = {
    "xapi_openid": ("OpenID", "OpenIDs"),
    "xapi_accounts": ("person's xAPI accounts", "people's xAPI accounts"),
}


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    org_units_created: int = 0
    job_profiles_created: int = 0
    # Fields an empty cell cleared (a value stored before, none after), per column: {"email": 3}.
    cleared: dict[str, int] = field(default_factory=dict)
    # A dry run did everything and rolled it back: these are the numbers importing would give.
    dry_run: bool = False
    errors: list[FieldError] = field(default_factory=list)
    # Who joined, changed or left: what assignments must be recomputed for.
    changed_ids: list[int] = field(default_factory=list)

    @property
    def cleared_total(self) -> int:
        return sum(self.cleared.values())

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "org_units_created": self.org_units_created,
            "job_profiles_created": self.job_profiles_created,
            "cleared": self.cleared_total,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "cleared": dict(self.cleared),
            "cleared_total": self.cleared_total,
            "dry_run": self.dry_run,
        }

    def clears_in_words(self) -> list[str]:
        """Each column's clears as an admin reads them: "302 e-mail addresses", "1 'shift' attribute"."""
        words = []
        for column, count in sorted(self.cleared.items(), key=lambda item: -item[1]):
            if column in FIELDS:
                _, one, many = FIELDS[column]
            elif column in IDENTIFIER_WORDS:
                one, many = IDENTIFIER_WORDS[column]
            else:
                name = column.removeprefix(ATTR_PREFIX)
                one, many = f"{name!r} attribute", f"{name!r} attributes"
            words.append(f"{count:,} {one if count == 1 else many}")
        return words


def import_people(
    db: Session, *, text: str, full: bool = False, dry_run: bool = False, progress: Progress = no_progress
) -> ImportSummary:
    """Upsert people from an HR CSV: a column the file lacks is left alone for everyone, and an empty
    cell in a column it has clears that field. With `full`, the file lists everyone: people missing
    from it are deactivated (never deleted, their fields untouched). With `dry_run`, the import is done
    and rolled back, so its summary is what importing would do. Nothing is written unless the whole
    file is valid."""
    file = parse_csv(text, progress=progress)
    existing, identifiers = load_existing(db), load_identifiers(db)
    check_against_stored(file, existing, identifiers)
    plan = plan_identifiers(file, identifiers)
    if not dry_run:
        summary = _write(db, file=file, existing=existing, plan=plan, full=full, progress=progress)
        _announce(db, summary.changed_ids)
        return summary
    savepoint = db.begin_nested()
    try:
        summary = _write(db, file=file, existing=existing, plan=plan, full=full, progress=progress)
    finally:
        savepoint.rollback()
    summary.dry_run = True
    return summary


def _chunks(items: list[dict[str, Any]], size: int = 5000) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(
    db: Session,
    *,
    file: HrFile,
    existing: dict[str, Existing],
    plan: IdentifierPlan,
    full: bool,
    progress: Progress,
) -> ImportSummary:
    rows = file.rows
    summary = ImportSummary(rows=len(rows))
    units_before, profiles_before = _count(db, OrgUnit), _count(db, JobProfile)
    units = ensure_org_units(db, full_names={r.org_unit for r in rows if r.org_unit})
    profiles = ensure_job_profiles(db, titles={r.job_profile for r in rows if r.job_profile})
    summary.org_units_created = _count(db, OrgUnit) - units_before
    summary.job_profiles_created = _count(db, JobProfile) - profiles_before
    now = utcnow()
    if "email" in file.columns:
        _release_emails(db, rows, existing)
    ids = {ext: person.id for ext, person in existing.items()}
    values = _values_of(file, ids=ids, units=units, profiles=profiles)
    new_rows = [r for r in rows if r.external_id not in existing]
    _insert(
        db, new_rows, existing=existing, ids=ids, values=values, now=now, total=len(rows), progress=progress
    )
    summary.created = len(new_rows)
    summary.changed_ids = [ids[r.external_id] for r in new_rows]
    write_identifiers(db, plan, ids=ids)
    summary.cleared.update(plan.cleared)
    updates = _changes(file, existing=existing, values=values, now=now, summary=summary, also=plan.changed)
    summary.updated = len(updates)
    summary.changed_ids += [u["b_id"] for u in updates]
    table = table_of(Person)
    done = len(new_rows)
    for part in _chunks(updates):
        db.execute(update(table).where(table.c.id == bindparam("b_id")), part)
        done += len(part)
        progress("writing", done, len(rows))
    progress("writing", len(rows), len(rows))
    if full:
        leavers = _deactivate_missing(db, rows, existing, now)
        summary.deactivated += len(leavers)
        summary.changed_ids += leavers
    db.flush()
    return summary


def _release_emails(db: Session, rows: list[PersonRow], existing: dict[str, Existing]) -> None:
    """Addresses that change hands are cleared first, so no row briefly holds another's address."""
    released = [
        {"b_id": old.id}
        for r in rows
        if (old := existing.get(r.external_id)) and old.email and old.email != r.email
    ]
    if released:
        table = table_of(Person)
        stmt = update(table).where(table.c.id == bindparam("b_id")).values(email=None, mbox_sha1sum=None)
        db.execute(stmt, released)


def _values_of(
    file: HrFile, *, ids: dict[str, int], units: dict[str, int], profiles: dict[str, int]
) -> Callable[[PersonRow], dict[str, Any]]:
    """A row's values for the person's fields, only those whose column the file has (attributes apart)."""
    keys = ["name", *(FIELDS[column][0] for column in FIELDS if column in file.columns)]
    every_column = len(keys) == len(FIELDS) + 1

    def values(row: PersonRow) -> dict[str, Any]:
        wanted = {
            "name": row.name,
            "email": row.email,
            "manager_id": ids[row.manager_external_id] if row.manager_external_id else None,
            "org_unit_id": units[row.org_unit] if row.org_unit else None,
            "job_profile_id": profiles[row.job_profile] if row.job_profile else None,
            "location": row.location,
            "hire_date": row.hire_date,
            "active": row.active,
        }
        chosen = wanted if every_column else {key: wanted[key] for key in keys}
        chosen["name_key"] = search_key(row.name)  # kept in step with the name (people.models)
        if "email" in chosen:  # kept in step with the address (people.models.mbox_sha1sum)
            chosen["mbox_sha1sum"] = mbox_sha1sum(row.email)
        return chosen

    return values


def _insert(
    db: Session,
    new_rows: list[PersonRow],
    *,
    existing: dict[str, Existing],
    ids: dict[str, int],
    values: Callable[[PersonRow], dict[str, Any]],
    now: dt.datetime,
    total: int,
    progress: Progress,
) -> None:
    """New people are written a management level at a time, so every manager has an id before their
    reports are written: no second pass to link managers. A column the file lacks gets its default."""
    table, done = table_of(Person), 0
    for level in _levels(new_rows, existing):
        for start in range(0, len(level), 5000):
            chunk = level[start : start + 5000]
            params = [
                {
                    "external_id": r.external_id,
                    "created_at": now,
                    "updated_at": now,
                    "attributes": r.attributes,
                    **values(r),
                }
                for r in chunk
            ]
            # A plain executemany, then one look-up: RETURNING in parameter order is row-at-a-time on SQLite.
            db.execute(table.insert(), params)
            exts = [r.external_id for r in chunk]
            found = db.execute(select(table.c.external_id, table.c.id).where(table.c.external_id.in_(exts)))
            ids.update(dict(found.all()))
            done += len(chunk)
            progress("writing", done, total)


def _changes(
    file: HrFile,
    *,
    existing: dict[str, Existing],
    values: Callable[[PersonRow], dict[str, Any]],
    now: dt.datetime,
    summary: ImportSummary,
    also: set[str],
) -> list[dict[str, Any]]:
    """The update for each known person whose fields change (or, `also`, whose xAPI identifiers do);
    counts the unchanged, leavers and clears."""
    updates = []
    for row in file.rows:
        old = existing.get(row.external_id)
        if old is None:
            continue
        wanted = values(row)
        if file.attributes:
            wanted["attributes"] = _merge_attributes(old.attributes, row.attributes, file.attributes)
        if row.external_id in also or any(getattr(old, key) != value for key, value in wanted.items()):
            updates.append({"b_id": old.id, "updated_at": now, **wanted})
            summary.deactivated += old.active and not wanted.get("active", True)
            _count_clears(summary.cleared, old, wanted, file.attributes)
        else:
            summary.unchanged += 1
    return updates


def _merge_attributes(
    stored: dict[str, Any] | None, given: dict[str, Any], columns: tuple[str, ...]
) -> dict[str, Any]:
    """The file's attribute columns set those attributes (an empty cell removes one); others stay."""
    merged = {key: value for key, value in (stored or {}).items() if key not in columns}
    merged.update(given)
    return merged


def _count_clears(
    cleared: dict[str, int], old: Existing, wanted: dict[str, Any], attributes: tuple[str, ...]
) -> None:
    """Count each stored value an empty cell takes away, under its column's name."""
    for column, (name, _, _) in FIELDS.items():
        if name in wanted and wanted[name] is None and getattr(old, name) not in (None, ""):
            cleared[column] = cleared.get(column, 0) + 1
    for key in attributes:
        if key in (old.attributes or {}) and key not in wanted["attributes"]:
            column = ATTR_PREFIX + key
            cleared[column] = cleared.get(column, 0) + 1


def _announce(db: Session, person_ids: list[int]) -> None:
    """Tell the areas that follow HR data (compliance assignments) who changed, after the commit."""
    if not person_ids:
        return
    payload: dict[str, Any] = {"person_ids": person_ids} if len(person_ids) <= 5000 else {"all": True}
    enqueue(db, PEOPLE_CHANGED, payload)


def _levels(new_rows: list[PersonRow], existing: dict[str, Existing]) -> list[list[PersonRow]]:
    """New people grouped by how many new managers stand above them (the chain has no loop)."""
    by_ext = {r.external_id: r for r in new_rows}
    depth: dict[str, int] = {}
    for row in new_rows:
        chain: list[str] = []
        node: str | None = row.external_id
        while node is not None and node in by_ext and node not in depth:
            chain.append(node)
            node = by_ext[node].manager_external_id
        base = depth[node] if node is not None and node in depth else -1
        for offset, ext in enumerate(reversed(chain), start=1):
            depth[ext] = base + offset
    levels: list[list[PersonRow]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for row in new_rows:
        levels[depth[row.external_id]].append(row)
    return levels


def _count(db: Session, model: type[OrgUnit] | type[JobProfile]) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def _deactivate_missing(
    db: Session, rows: list[PersonRow], existing: dict[str, Existing], now: dt.datetime
) -> list[int]:
    in_file = {row.external_id for row in rows}
    leavers = [{"b_id": p.id} for ext, p in existing.items() if p.active and ext not in in_file]
    table = table_of(Person)
    stmt = update(table).where(table.c.id == bindparam("b_id")).values(active=False, updated_at=now)
    for chunk in _chunks(leavers):
        db.execute(stmt, chunk)
    return [leaver["b_id"] for leaver in leavers]

"""Rules over the organisation: the org-unit tree, job profiles, finding people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, select, true, update
from sqlalchemy.orm import Session, selectinload

from learnbridge.core.db import max_length, table_of
from learnbridge.core.errors import Conflict, FieldError, Invalid, NotFound
from learnbridge.core.paging import keyset_page
from learnbridge.core.text_keys import search_key
from learnbridge.people.models import JobProfile, OrgUnit, Person, PersonIdentifier
from learnbridge.people.xapi_ids import PER_PERSON, BadIdentifier, ifi_of_identifier

UNIT_SEPARATOR = "/"


def split_unit_name(full_name: str) -> list[str]:
    """ "Operations / Warehouse North" -> ["Operations", "Warehouse North"]."""
    return [part.strip() for part in full_name.split(UNIT_SEPARATOR) if part.strip()]


def canonical_unit_name(full_name: str) -> str:
    return " / ".join(split_unit_name(full_name))


def ensure_org_units(db: Session, *, full_names: set[str]) -> dict[str, int]:
    """Create any missing units (and their parents) for these full names; returns name -> id for all.
    Missing units are written one tree level at a time, a few statements however many there are."""
    wanted: set[str] = set()
    for name in full_names:
        parts = split_unit_name(name)
        wanted.update(" / ".join(parts[: i + 1]) for i in range(len(parts)))
    known: dict[str, tuple[int, str]] = {}
    if wanted:
        rows = db.execute(
            select(OrgUnit.full_name, OrgUnit.id, OrgUnit.path).where(OrgUnit.full_name.in_(wanted))
        )
        known = {name: (unit_id, path) for name, unit_id, path in rows}
    missing = sorted(wanted - known.keys(), key=lambda n: n.count(" / "))
    table = table_of(OrgUnit)
    for depth in sorted({name.count(" / ") for name in missing}):
        level = [name for name in missing if name.count(" / ") == depth]
        parents = [known.get(name.rpartition(" / ")[0]) if depth else None for name in level]
        params = [
            {
                "name": name.rpartition(" / ")[2],
                "full_name": name,
                "parent_id": parent[0] if parent else None,
                "path": f"/pending-{name}/",
                "depth": depth,
            }
            for name, parent in zip(level, parents, strict=True)
        ]
        ids = db.scalars(table.insert().returning(table.c.id, sort_by_parameter_order=True), params).all()
        paths = [
            f"{parent[1] if parent else '/'}{unit_id}/" for unit_id, parent in zip(ids, parents, strict=True)
        ]
        db.execute(
            update(table).where(table.c.id == bindparam("b_id")),
            [{"b_id": unit_id, "path": path} for unit_id, path in zip(ids, paths, strict=True)],
        )
        known.update({name: (unit_id, path) for name, unit_id, path in zip(level, ids, paths, strict=True)})
    return {name: unit_id for name, (unit_id, _) in known.items()}


def create_org_unit(db: Session, *, name: str, parent: OrgUnit | None) -> OrgUnit:
    """Add a unit under `parent`; its path is the parent's path plus its own id."""
    full_name = f"{parent.full_name} / {name}" if parent else name
    unit = OrgUnit(name=name, full_name=full_name, parent_id=parent.id if parent else None)
    unit.path = f"/pending-{full_name}/"  # unique placeholder until the id is known
    unit.depth = parent.depth + 1 if parent else 0
    db.add(unit)
    db.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.flush()
    return unit


def unit_subtree_clause(unit: OrgUnit) -> ColumnElement[bool]:
    """Units in this unit's subtree (itself included): one range scan on the unique path index."""
    low, high = unit.subtree_bounds()
    return (OrgUnit.path >= low) & (OrgUnit.path < high)


def people_in_unit(unit: OrgUnit, *, subtree: bool = True) -> Select[Person]:
    """People in a unit, or in its whole subtree, as one query."""
    if not subtree:
        return select(Person).where(Person.org_unit_id == unit.id)
    return select(Person).join(OrgUnit, Person.org_unit_id == OrgUnit.id).where(unit_subtree_clause(unit))


def list_org_units(db: Session) -> list[OrgUnit]:
    """All units in tree order (a parent before its children)."""
    return list(db.scalars(select(OrgUnit).order_by(OrgUnit.full_name)))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "profile"


def ensure_job_profiles(db: Session, *, titles: set[str]) -> dict[str, int]:
    """Create job profiles that do not exist yet (matched by title); returns title -> id.
    A new profile's code is its title as a slug, numbered when another profile has it."""
    if not titles:
        return {}
    rows = db.execute(select(JobProfile.title, JobProfile.id).where(JobProfile.title.in_(titles)))
    known: dict[str, int] = dict(rows.all())
    missing = sorted(titles - known.keys())
    if missing:
        taken = set(db.scalars(select(JobProfile.code)))
        params = [{"title": t, "code": _free_code(slug(t), taken), "description": ""} for t in missing]
        db.execute(table_of(JobProfile).insert(), params)
        rows = db.execute(select(JobProfile.title, JobProfile.id).where(JobProfile.title.in_(missing)))
        known.update(dict(rows.all()))
    return known


def _free_code(base: str, taken: set[str]) -> str:
    base = base[: max_length(JobProfile.code) - 6]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def list_job_profiles(db: Session) -> list[JobProfile]:
    return list(db.scalars(select(JobProfile).order_by(JobProfile.title)))


def get_person(db: Session, person_id: int) -> Person:
    person = db.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person {person_id}.")
    return person


@dataclass(frozen=True)
class PeopleResults:
    items: list[Person]
    next: str | None


def find_people(
    db: Session,
    *,
    visible: ColumnElement[bool] | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int = 50,
    include_inactive: bool = False,
) -> PeopleResults:
    """People ordered by name, filtered by a visibility clause, keyset-paged on (name, id). `q` finds
    a name containing it in any script and case (by the stored key: core.text_keys.search_key), an
    e-mail address containing it, or an external id equal to it."""
    stmt = select(Person).where(visible if visible is not None else true())
    if not include_inactive:
        stmt = stmt.where(Person.active.is_(True))
    if q := q.strip():
        stmt = stmt.where(
            Person.name_key.contains(search_key(q), autoescape=True)
            | func.lower(Person.email).contains(q.lower(), autoescape=True)
            | (Person.external_id == q)
        )
    shown = (selectinload(Person.org_unit), selectinload(Person.job_profile), selectinload(Person.manager))
    page = keyset_page(db, stmt.options(*shown), order=[Person.name, Person.id], cursor=cursor, limit=limit)
    return PeopleResults(items=page.items, next=page.next)


def direct_reports(db: Session, *, manager_id: int) -> list[Person]:
    return list(
        db.scalars(
            select(Person)
            .where(Person.manager_id == manager_id, Person.active.is_(True))
            .order_by(Person.name)
        )
    )


def count_people(db: Session, *, active_only: bool = False) -> int:
    stmt = select(func.count()).select_from(Person)
    if active_only:
        stmt = stmt.where(Person.active.is_(True))
    return db.scalar(stmt) or 0


def get_job_profile(db: Session, profile_id: int) -> JobProfile:
    profile = db.get(JobProfile, profile_id)
    if profile is None:
        raise NotFound(f"No job profile {profile_id}.")
    return profile


def create_job_profile(db: Session, *, code: str, title: str, description: str = "") -> JobProfile:
    if db.scalar(select(JobProfile.id).where(JobProfile.code == code)) is not None:
        raise Conflict(f"A job profile with code {code!r} already exists.")
    profile = JobProfile(code=code, title=title, description=description)
    db.add(profile)
    db.flush()
    return profile


def list_locations(db: Session) -> list[str]:
    """The distinct locations of active people, for pick lists."""
    stmt = select(Person.location).where(Person.location.is_not(None), Person.active.is_(True)).distinct()
    return sorted(location for location in db.scalars(stmt) if location)


def find_person_by_key(db: Session, key: str) -> Person | None:
    """A person by external id or e-mail address (case-insensitive)."""
    key = key.strip().lower()
    stmt = select(Person).where((func.lower(Person.external_id) == key) | (func.lower(Person.email) == key))
    return db.scalars(stmt.limit(1)).first()


def list_identifiers(db: Session, *, person_id: int) -> list[PersonIdentifier]:
    """A person's other xAPI identifiers (OpenIDs, accounts on other systems), in a stable order."""
    stmt = select(PersonIdentifier).where(PersonIdentifier.person_id == person_id)
    return list(db.scalars(stmt.order_by(PersonIdentifier.ifi)))


_PART_FIELDS = {"openid": "openid", "homePage": "account.homePage", "name": "account.name"}


def _ifis_of(identifiers: list[dict[str, Any]], *, field: str) -> list[str]:
    """The identifiers' comparable forms (duplicates once); Invalid names each bad one's field."""
    ifis: dict[str, None] = {}
    errors: list[FieldError] = []
    for n, identifier in enumerate(identifiers):
        try:
            ifis[ifi_of_identifier(identifier)] = None
        except BadIdentifier as exc:
            where = f"{field}.{n}." if field else ""  # as the API names a body's fields
            errors.append(FieldError(field=where + _PART_FIELDS[exc.part], message=exc.message))
    if errors:
        raise Invalid(errors)
    return list(ifis)


def _refuse_taken(db: Session, *, person: Person, ifis: list[str]) -> None:
    """An identifier names one person at most: one already recorded for someone else is a conflict."""
    stmt = (
        select(PersonIdentifier.ifi, Person.external_id)
        .join(Person, Person.id == PersonIdentifier.person_id)
        .where(PersonIdentifier.ifi.in_(ifis), PersonIdentifier.person_id != person.id)
    )
    taken = db.execute(stmt.limit(1)).first()
    if taken is not None:
        raise Conflict(f"{taken[0]!r} already names person {taken[1]!r}.")


def add_identifier(db: Session, *, person: Person, identifier: dict[str, Any]) -> PersonIdentifier:
    """Record another identifier for the person ({"openid": ...} or {"account": {"homePage", "name"}});
    one they already have is returned as it is."""
    [ifi] = _ifis_of([identifier], field="")
    _refuse_taken(db, person=person, ifis=[ifi])
    have = {row.ifi: row for row in list_identifiers(db, person_id=person.id)}
    if ifi in have:
        return have[ifi]
    if len(have) >= PER_PERSON:
        raise Invalid(field="identifiers", message=f"a person may have {PER_PERSON} identifiers at most")
    row = PersonIdentifier(person_id=person.id, ifi=ifi)
    db.add(row)
    db.flush()
    return row


def replace_identifiers(
    db: Session, *, person: Person, identifiers: list[dict[str, Any]]
) -> list[PersonIdentifier]:
    """The person's other identifiers become exactly these (an empty list removes them all)."""
    ifis = _ifis_of(identifiers, field="identifiers")
    if len(ifis) > PER_PERSON:
        raise Invalid(field="identifiers", message=f"a person may have {PER_PERSON} identifiers at most")
    _refuse_taken(db, person=person, ifis=ifis)
    table = table_of(PersonIdentifier)
    mine = table.c.person_id == person.id
    db.execute(table.delete().where(mine, table.c.ifi.not_in(ifis)))
    have = set(db.scalars(select(table.c.ifi).where(mine)))
    if missing := [{"person_id": person.id, "ifi": ifi} for ifi in ifis if ifi not in have]:
        db.execute(table.insert(), missing)
    db.expire_all()
    return list_identifiers(db, person_id=person.id)


def remove_identifier(db: Session, *, person: Person, identifier_id: int) -> None:
    """Forget one of the person's other identifiers."""
    row = db.get(PersonIdentifier, identifier_id)
    if row is None or row.person_id != person.id:
        raise NotFound(f"No identifier {identifier_id} for person {person.id}.")
    db.delete(row)
    db.flush()


_CHUNK = 500


def _lookup(db: Session, column: Any, id_column: Any, keys: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        found.update(dict(db.execute(select(column, id_column).where(column.in_(chunk))).all()))
    return found


def people_by_ifi(db: Session, *, ifis: set[str], home_page: str) -> dict[str, int]:
    """Actor identifiers (lrs.format.ifi_of's form) to person ids, by every identifier xAPI allows
    (1.0.3 Part 2, 2.4.2.3): mbox (the address case-insensitive), mbox_sha1sum, an account on this
    platform (`home_page`) named by external id, and any OpenID or other system's account recorded."""
    emails = {i: i.removeprefix("mbox:mailto:").lower() for i in ifis if i.startswith("mbox:mailto:")}
    hashes = {i: i.removeprefix("mbox_sha1sum:").lower() for i in ifis if i.startswith("mbox_sha1sum:")}
    ours = "account:" + home_page.rstrip("/")
    names: dict[str, str] = {}
    recorded: set[str] = set()
    for ifi in ifis:
        page, _, name = ifi.partition("|")
        if page.rstrip("/") == ours and name:
            names[ifi] = name
        elif ifi.startswith(("openid:", "account:")):
            recorded.add(ifi)
    by_email = _lookup(db, func.lower(Person.email), Person.id, set(emails.values()))
    by_hash = _lookup(db, Person.mbox_sha1sum, Person.id, set(hashes.values()))
    by_name = _lookup(db, Person.external_id, Person.id, set(names.values()))
    found = _lookup(db, PersonIdentifier.ifi, PersonIdentifier.person_id, recorded)
    found.update({i: by_email[e] for i, e in emails.items() if e in by_email})
    found.update({i: by_hash[h] for i, h in hashes.items() if h in by_hash})
    found.update({i: by_name[n] for i, n in names.items() if n in by_name})
    return found

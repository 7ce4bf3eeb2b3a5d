"""People JSON API: the directory (as far as the caller may see) and the HR CSV import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.accounts.policy import can_change_people, can_view_person, require, visible_people_clause
from learnbridge.core.deps import CsvFile, Db
from learnbridge.core.errors import NotFound
from learnbridge.core.ids import Id
from learnbridge.people import service
from learnbridge.people.importer import import_people
from learnbridge.people.schemas import (
    IdentifierIn,
    IdentifierOut,
    IdentifiersIn,
    ImportSummaryOut,
    JobProfileOut,
    OrgUnitOut,
    PeoplePage,
    PersonOut,
)

router = APIRouter(tags=["people"])


@router.get("/people")
def list_people(
    db: Db,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=200)] = "",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    include_inactive: bool = False,
) -> PeoplePage:
    visible = visible_people_clause(principal)
    results = service.find_people(
        db, visible=visible, q=q, cursor=cursor, limit=limit, include_inactive=include_inactive
    )
    return PeoplePage(items=[PersonOut.model_validate(p) for p in results.items], next=results.next)


@router.get("/people/{person_id}")
def get_person(person_id: Id, db: Db, principal: CurrentPrincipal) -> PersonOut:
    if not can_view_person(db, principal, person_id):
        raise NotFound(f"No person {person_id}.")
    return PersonOut.model_validate(service.get_person(db, person_id))


@router.get("/people/{person_id}/identifiers")
def list_identifiers(person_id: Id, db: Db, principal: CurrentPrincipal) -> list[IdentifierOut]:
    """The person's other xAPI identifiers: OpenIDs and accounts on other systems."""
    if not can_view_person(db, principal, person_id):
        raise NotFound(f"No person {person_id}.")
    return [IdentifierOut.model_validate(i) for i in service.list_identifiers(db, person_id=person_id)]


@router.post("/people/{person_id}/identifiers", status_code=201)
def add_identifier(
    person_id: Id, body: IdentifierIn, db: WriteDb, principal: CurrentPrincipal
) -> IdentifierOut:
    """Record one more identifier for the person; 409 when it already names someone else."""
    require(can_change_people(principal), "Only L&D admins change people's identifiers.")
    person = service.get_person(db, person_id)
    identifier = service.add_identifier(db, person=person, identifier=body.model_dump(exclude_none=True))
    db.commit()
    return IdentifierOut.model_validate(identifier)


@router.put("/people/{person_id}/identifiers")
def replace_identifiers(
    person_id: Id, body: IdentifiersIn, db: WriteDb, principal: CurrentPrincipal
) -> list[IdentifierOut]:
    """Make the person's other identifiers exactly these; 409 when one already names someone else."""
    require(can_change_people(principal), "Only L&D admins change people's identifiers.")
    person = service.get_person(db, person_id)
    wanted = [i.model_dump(exclude_none=True) for i in body.identifiers]
    identifiers = service.replace_identifiers(db, person=person, identifiers=wanted)
    db.commit()
    return [IdentifierOut.model_validate(i) for i in identifiers]


@router.delete("/people/{person_id}/identifiers/{identifier_id}", status_code=204)
def remove_identifier(person_id: Id, identifier_id: Id, db: WriteDb, principal: CurrentPrincipal) -> None:
    require(can_change_people(principal), "Only L&D admins change people's identifiers.")
    service.remove_identifier(db, person=service.get_person(db, person_id), identifier_id=identifier_id)
    db.commit()


@router.post(
    "/people/import", openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}
)
def import_people_from_csv(
    db: Db, principal: CurrentPrincipal, body: CsvFile, full: bool = False, dry_run: bool = False
) -> ImportSummaryOut:
    """Upsert people from an HR CSV sent as the request body (text/csv). All or nothing: a bad row
    answers 422 listing every problem by row and field, and nothing is written. With `dry_run`,
    nothing is written either way: the summary says what importing would do (and clear)."""
    require(can_change_people(principal), "Only L&D admins import people.")
    summary = import_people(db, text=body.text(), full=full, dry_run=dry_run)
    db.commit()
    return ImportSummaryOut(**summary.as_dict())


@router.get("/org-units")
def list_org_units(db: Db, principal: CurrentPrincipal) -> list[OrgUnitOut]:
    return [OrgUnitOut.model_validate(u) for u in service.list_org_units(db)]


@router.get("/job-profiles")
def list_job_profiles(db: Db, principal: CurrentPrincipal) -> list[JobProfileOut]:
    return [JobProfileOut.model_validate(p) for p in service.list_job_profiles(db)]

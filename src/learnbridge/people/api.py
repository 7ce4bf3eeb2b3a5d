"""People JSON API: the directory (as far as the caller may see) and the HR CSV import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.accounts.policy import can_change_people, can_view_person, require, visible_people_clause
from learnbridge.core.deps import CsvFile, Db
from learnbridge.core.errors import NotFound
from learnbridge.core.ids import Id
from learnbridge.people import service
from learnbridge.people.importer import import_people
from learnbridge.people.schemas import ImportSummaryOut, JobProfileOut, OrgUnitOut, PeoplePage, PersonOut

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

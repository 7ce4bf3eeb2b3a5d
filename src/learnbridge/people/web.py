"""People pages: the directory, a manager's team, a person's profile, and the HR CSV upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb, require_role
from learnbridge.accounts.policy import (
    Principal,
    Role,
    can_view_person,
    reports_subtree,
    visible_people_clause,
)
from learnbridge.core.db import utcnow
from learnbridge.core.deps import CsvFile, Db, FormFields
from learnbridge.core.errors import Conflict, DomainError, Invalid, NotFound
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render, render_invalid
from learnbridge.home.learning_record import learning_record
from learnbridge.people import service
from learnbridge.people.importer import import_people
from learnbridge.people.models import Person
from learnbridge.push.models import STATUS_LABELS

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]
Reader = Annotated[Principal, require_role(Role.ld_admin, Role.auditor)]
Manager = Annotated[Principal, require_role(Role.manager)]


@router.get("/people")
def directory(
    request: Request, db: Db, principal: Reader, q: str = "", cursor: str | None = None
) -> Response:
    results = service.find_people(db, visible=visible_people_clause(principal), q=q, cursor=cursor)
    return render(request, "people/directory.html", {"results": results, "q": q})


@router.get("/team")
def team(request: Request, db: Db, principal: Manager, cursor: str | None = None) -> Response:
    assert principal.person_id is not None
    visible = Person.id.in_(reports_subtree(principal.person_id))
    results = service.find_people(db, visible=visible, cursor=cursor, limit=100)
    return render(request, "people/team.html", {"results": results})


@router.get("/people/{person_id}")
def profile(person_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    if not can_view_person(db, principal, person_id):
        raise NotFound(f"No person {person_id}.")
    return _profile(request, db, principal, person_id)


def _profile(
    request: Request, db: Db, principal: Principal, person_id: int, error: DomainError | None = None
) -> Response:
    person = service.get_person(db, person_id)
    reports = service.direct_reports(db, manager_id=person.id)
    record = learning_record(db, person_id=person.id, principal=principal, today=utcnow().date())
    identifiers = service.list_identifiers(db, person_id=person.id)
    context = {"person": person, "reports": reports, "record": record, "labels": STATUS_LABELS}
    context["own"] = principal.person_id == person.id
    context |= {"identifiers": identifiers, "error": error}
    return render(request, "people/profile.html", context, status_code=error.status if error else 200)


def _identifier_from(form: FormData) -> dict[str, object]:
    """The add form's fields as xAPI writes an identifier: an OpenID, or an account's homePage and name."""
    if form.get("kind") == "openid":
        return {"openid": str(form.get("openid", ""))}
    return {"account": {"homePage": str(form.get("home_page", "")), "name": str(form.get("name", ""))}}


@router.post("/admin/people/{person_id}/identifiers")
def add_identifier(
    person_id: Id, request: Request, db: WriteDb, principal: Admin, form: FormFields
) -> Response:
    person = service.get_person(db, person_id)
    try:
        service.add_identifier(db, person=person, identifier=_identifier_from(form))
    except (Invalid, Conflict) as exc:
        db.rollback()
        return _profile(request, db, principal, person_id, error=exc)
    db.commit()
    return RedirectResponse(f"/people/{person_id}?identifiers=added#identifiers", status_code=303)


@router.post("/admin/people/{person_id}/identifiers/{identifier_id}/delete")
def remove_identifier(person_id: Id, identifier_id: Id, db: WriteDb, _: Admin) -> Response:
    service.remove_identifier(db, person=service.get_person(db, person_id), identifier_id=identifier_id)
    db.commit()
    return RedirectResponse(f"/people/{person_id}?identifiers=removed#identifiers", status_code=303)


@router.get("/admin/people/import")
def import_form(request: Request, _: Admin) -> Response:
    return render(request, "people/import.html", {})


@router.post("/admin/people/import")
def import_upload(request: Request, db: Db, _: Admin, form: FormFields, file: CsvFile) -> Response:
    try:
        summary = import_people(db, text=file.text(), full=form.get("full") == "on", dry_run="check" in form)
    except Invalid as exc:
        return render_invalid(request, db, "people/import.html", exc)
    db.commit()
    return render(request, "people/import.html", {"summary": summary, "full": form.get("full") == "on"})

"""Catalogue pages: browse and search for everyone; create, edit and publish for L&D admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog import service
from learnbridge.catalog.api import visible_statuses
from learnbridge.catalog.forms import StatusChange, form_values, item_from_form, item_values, picked_skills
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.content import offers as content
from learnbridge.content.models import STATUS_LABELS
from learnbridge.core.deps import Db, FormFields
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import MAX_ID, Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.records.service import enrolment_origin
from learnbridge.skills.browse import picked_skill, skill_names

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]
Reader = Annotated[Principal, require_role(Role.ld_admin, Role.auditor)]


LABELS: dict[str, Any] = {"statuses": list(ItemStatus)}


def _skill_id(value: str) -> int | None:
    # "" is "any skill"; anything but a plain id is ignored rather than an error on a browse page.
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


def _skill_filter(db: Db, skill: str, skill_text: str | None) -> tuple[int | None, str]:
    """The skill filter (its picker's id and text, skills.browse.picked_skill) and its name."""
    chosen = picked_skill(db, skill_id=_skill_id(skill), text=skill_text, field="skill")
    return chosen, skill_names(db, [chosen]).get(chosen, "") if chosen else ""


@router.get("/catalog")
def browse(
    request: Request,
    db: Db,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=200)] = "",
    skill: Annotated[str, Query(max_length=20)] = "",
    skill_text: Annotated[str | None, Query(max_length=200)] = None,
    format: Annotated[str, Query()] = "",
    cursor: str | None = None,
) -> Response:
    error: Invalid | None = None
    try:
        skill_id, skill_name = _skill_filter(db, skill, skill_text)
    except Invalid as exc:
        skill_id, skill_name, error = None, skill_text or "", exc
    filters = service.ItemFilter(
        q=q,
        skill_id=skill_id,
        format=format or None,
        statuses=visible_statuses(principal, ItemStatus.published),
    )
    results = service.find_items(db, filters=filters, cursor=cursor)
    context = {"results": results, "filters": filters, "skill_name": skill_name, "error": error, **LABELS}
    status = 422 if error else 200
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "results":
        return render(request, "catalog/_results.html", context, status_code=status)
    return render(request, "catalog/index.html", context, status_code=status)


@router.get("/catalog/{item_id}")
def item_page(item_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    statuses = visible_statuses(principal)
    item = service.get_item(db, item_id, statuses=statuses)
    steps = item.visible_steps(statuses)
    person_id = principal.person_id
    offer = content.offer(db, item_id=item.id, person_id=person_id)
    enrolled = (
        person_id is not None and enrolment_origin(db, person_id=person_id, item_id=item.id) is not None
    )
    context = {
        "item": item,
        "steps": steps,
        "offer": offer,
        "enrolled": enrolled,
        "progress_labels": STATUS_LABELS,
        **LABELS,
    }
    return render(request, "catalog/item.html", context)


@router.get("/admin/catalog")
def admin_list(
    request: Request, db: Db, principal: Reader, q: str = "", status: str = "", cursor: str | None = None
) -> Response:
    wanted = ItemStatus(status) if status in ItemStatus.__members__ else None
    filters = service.ItemFilter(q=q, statuses=visible_statuses(principal, wanted))
    results = service.find_items(db, filters=filters, cursor=cursor, limit=50)
    return render(
        request, "catalog/admin_list.html", {"results": results, "q": q, "status": status, **LABELS}
    )


@router.get("/admin/catalog/new")
def new_form(request: Request, db: Db, _: Admin) -> Response:
    return render(request, "catalog/form.html", {"item": None, "values": item_values(None), **LABELS})


@router.post("/admin/catalog/new")
def create(request: Request, db: Db, principal: Admin, form: FormFields) -> Response:
    try:
        data = item_from_form(form, skills=picked_skills(db, form))
        item = service.create_item(db, data=data, owner_id=principal.person_id)
    except Invalid as exc:
        return _form_again(request, db, None, form_values(form), exc)
    db.commit()
    return RedirectResponse(f"/admin/catalog/{item.id}/edit?saved=1", status_code=303)


@router.get("/admin/catalog/{item_id}/edit")
def edit_form(item_id: Id, request: Request, db: Db, _: Admin, saved: bool = False) -> Response:
    item = service.get_item(db, item_id)
    context = {"item": item, "values": item_values(item), "saved": saved, **LABELS}
    return render(request, "catalog/form.html", context)


@router.post("/admin/catalog/{item_id}/edit")
def update(item_id: Id, request: Request, db: Db, _: Admin, form: FormFields) -> Response:
    try:
        service.update_item(db, item_id=item_id, data=item_from_form(form, skills=picked_skills(db, form)))
    except Invalid as exc:
        db.rollback()
        return _form_again(request, db, service.get_item(db, item_id), form_values(form), exc)
    db.commit()
    return RedirectResponse(f"/admin/catalog/{item_id}/edit?saved=1", status_code=303)


@router.post("/admin/catalog/{item_id}/status")
def change_status(item_id: Id, request: Request, db: Db, _: Admin, form: StatusChange) -> Response:
    try:
        service.set_status(db, item_id=item_id, status=form.status)
    except Invalid as exc:
        db.rollback()
        return _form_again(request, db, service.get_item(db, item_id), None, exc)
    db.commit()
    return RedirectResponse(f"/admin/catalog/{item_id}/edit?saved=1", status_code=303)


def _form_again(
    request: Request, db: Db, item: LearningItem | None, values: dict[str, Any] | None, exc: Invalid
) -> Response:
    values = values if values is not None else item_values(item)
    names = skill_names(db, [int(s) for s, _, text in values["skills"] if s.isdigit() and not text])
    values["skills"] = [
        (s, level, text or names.get(int(s), "") if s.isdigit() else text)
        for s, level, text in values["skills"]
    ]
    context = {"item": item, "values": values, "error": exc, "errors": exc.errors, **LABELS}
    return render(request, "catalog/form.html", context, status_code=422)

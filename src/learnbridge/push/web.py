"""Compliance pages: requirements and their preview, oversight and assignments (L&D admins and
auditors), a manager's team compliance. A learner's obligations are on home; completions and the audit
trail are in push.fulfilment_web."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role, can_view_person
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.csv_export import csv_response
from learnbridge.core.db import utcnow
from learnbridge.core.deps import Db, FormFields
from learnbridge.core.errors import Invalid, NotFound
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.people.service import list_job_profiles, list_locations, list_org_units
from learnbridge.push import fulfilment, heatmap_views, obligation_views, requirements
from learnbridge.push.audit import Actor
from learnbridge.push.forms import (
    Activate,
    Archive,
    Exemption,
    NewDue,
    Revoke,
    form_values,
    requirement_from_form,
    requirement_values,
)
from learnbridge.push.models import STATUS_LABELS, AssignmentStatus, RequirementOrigin

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]
Reader = Annotated[Principal, require_role(Role.ld_admin, Role.auditor)]
Manager = Annotated[Principal, require_role(Role.manager)]
LABELS: dict[str, Any] = {"labels": STATUS_LABELS, "statuses": list(AssignmentStatus)}


def today() -> dt.date:
    return utcnow().date()


def items(db: Db) -> list[LearningItem]:
    stmt = select(LearningItem).where(LearningItem.status == ItemStatus.published.value)
    return list(db.scalars(stmt.order_by(LearningItem.title)))


def _editor(db: Db) -> dict[str, Any]:
    """The editor's choices, as (value, text) pairs for its searchable pickers."""
    units, profiles, locations = list_org_units(db), list_job_profiles(db), list_locations(db)
    return {
        "item_options": [(i.id, i.title) for i in items(db)],
        "unit_options": [(u.id, u.full_name) for u in units],
        "profile_options": [(p.id, p.title) for p in profiles],
        "location_options": [(place, place) for place in locations],
    }


@router.get("/admin/requirements")
def requirements_page(request: Request, db: Db, _: Reader) -> Response:
    found = requirements.list_requirements(db, origin=RequirementOrigin.requirement)
    return render(request, "push/requirements.html", {"requirements": found})


@router.get("/admin/requirements/new")
def new_requirement(request: Request, db: Db, _: Admin) -> Response:
    context = {"requirement": None, "values": requirement_values(None), **_editor(db)}
    return render(request, "push/requirement.html", context)


@router.post("/admin/requirements/new")
def create_requirement(request: Request, db: Db, principal: Admin, form: FormFields) -> Response:
    try:
        data = requirement_from_form(db, form)
        requirement = requirements.create_requirement(db, data=data, actor=Actor.of(principal.account))
    except Invalid as exc:
        return _editor_again(request, db, None, form_values(form), exc)
    db.commit()
    return RedirectResponse(f"/admin/requirements/{requirement.id}?saved=1", status_code=303)


PreviewPage = Annotated[int, Query(ge=1, le=100_000)]


@router.post("/admin/requirements/preview")
def preview_new(request: Request, db: Db, _: Admin, form: FormFields, page: PreviewPage = 1) -> Response:
    return _preview(request, db, form, None, page)


Saved = Annotated[str, Query(max_length=30)]


@router.get("/admin/requirements/{requirement_id}")
def requirement_page(
    requirement_id: Id,
    request: Request,
    db: Db,
    _: Reader,
    saved: Saved = "",
    assigned: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    requirement = requirements.get_requirement(db, requirement_id)
    context = {
        "requirement": requirement,
        "values": requirement_values(requirement),
        "saved": saved,
        "assigned": assigned,
        **_editor(db),
    }
    return render(request, "push/requirement.html", context)


@router.post("/admin/requirements/{requirement_id}")
def update_requirement(
    requirement_id: Id, request: Request, db: Db, principal: Admin, form: FormFields
) -> Response:
    try:
        data = requirement_from_form(db, form)
        result = requirements.update_requirement(
            db, requirement_id=requirement_id, data=data, actor=Actor.of(principal.account)
        )
    except Invalid as exc:
        db.rollback()
        return _editor_again(
            request, db, requirements.get_requirement(db, requirement_id), form_values(form), exc
        )
    db.commit()
    assigned = result.created + result.reactivated
    return RedirectResponse(
        f"/admin/requirements/{requirement_id}?saved=changes&assigned={assigned}", status_code=303
    )


def _editor_again(
    request: Request, db: Db, requirement: Any, values: dict[str, Any], exc: Invalid
) -> Response:
    context = {
        "requirement": requirement,
        "values": values,
        "error": exc,
        "errors": exc.errors,
        **_editor(db),
    }
    return render(request, "push/requirement.html", context, status_code=422)


@router.post("/admin/requirements/{requirement_id}/preview")
def preview(
    requirement_id: Id, request: Request, db: Db, _: Admin, form: FormFields, page: PreviewPage = 1
) -> Response:
    return _preview(request, db, form, requirement_id, page)


def _preview(request: Request, db: Db, form: FormData, requirement_id: int | None, page: int) -> Response:
    try:
        data = requirement_from_form(db, form)
        found = requirements.preview_requirement(db, data=data, requirement_id=requirement_id, page=page)
    except Invalid as exc:
        return render(request, "_error.html", {"error": exc, "errors": exc.errors}, status_code=422)
    return render(request, "push/_preview.html", {"preview": found, "requirement_id": requirement_id})


@router.get("/admin/requirements/{requirement_id}/activate")
def confirm_activation(
    requirement_id: Id, request: Request, db: Db, _: Admin, page: PreviewPage = 1
) -> Response:
    """Activation asks first, with the count: the page's button is what sends `confirm=yes`."""
    found = requirements.activation_preview(db, requirement_id=requirement_id, today=today(), page=page)
    context = {"requirement": requirements.get_requirement(db, requirement_id), "preview": found}
    return render(request, "push/activate.html", context)


@router.post("/admin/requirements/{requirement_id}/activate")
def activate(requirement_id: Id, db: Db, principal: Admin, form: Activate) -> Response:
    result = requirements.activate_requirement(
        db, requirement_id=requirement_id, actor=Actor.of(principal.account), reason=form.reason.strip()
    )
    db.commit()
    assigned = result.created + result.reactivated
    return RedirectResponse(
        f"/admin/requirements/{requirement_id}?saved=activated&assigned={assigned}", status_code=303
    )


@router.post("/admin/requirements/{requirement_id}/archive")
def archive(requirement_id: Id, db: Db, principal: Admin, form: Archive) -> Response:
    requirements.archive_requirement(
        db, requirement_id=requirement_id, actor=Actor.of(principal.account), reason=form.reason
    )
    db.commit()
    return RedirectResponse(f"/admin/requirements/{requirement_id}?saved=archived", status_code=303)


@router.get("/compliance")
def oversight_page(request: Request, db: Db, _: Reader, unit: Id | None = None) -> Response:
    heat = heatmap_views.heatmap(db, unit_id=unit, today=today())
    counts = heatmap_views.status_counts(db, today=today())
    context = {"heat": heat, "counts": counts, "good_percent": heatmap_views.GOOD_PERCENT, **LABELS}
    return render(request, "push/oversight.html", context)


@router.get("/compliance/cell")
def cell(
    request: Request, db: Db, _: Reader, requirement: Id, unit: Id | None = None, status: str = ""
) -> Response:
    state = status if status in AssignmentStatus.__members__ else None
    found = obligation_views.cell_obligations(
        db, requirement_id=requirement, unit_id=unit, today=today(), state=state
    )
    context = {
        "obligations": found,
        "requirement": requirements.get_requirement(db, requirement),
        "unit": unit,
        "status": state or "",
        **LABELS,
    }
    return render(request, "push/cell.html", context)


@router.get("/compliance/expiring")
def expiring(request: Request, db: Db, _: Reader, days: Annotated[int, Query(ge=1, le=366)] = 30) -> Response:
    found = obligation_views.expiring(db, days=days, today=today())
    return render(request, "push/expiring.html", {"obligations": found, "days": days, **LABELS})


@router.get("/compliance/exceptions")
def exceptions(request: Request, db: Db, _: Reader) -> Response:
    found = obligation_views.exceptions(db, today=today())
    return render(request, "push/exceptions.html", {"obligations": found, **LABELS})


@router.get("/compliance/export.csv")
def export(db: Db, _: Reader, requirement: Id | None = None) -> Response:
    return csv_response(
        obligation_views.export_rows(db, today=today(), requirement_id=requirement), "assignments.csv"
    )


@router.get("/compliance/assignments/{assignment_id}")
def assignment_page(
    assignment_id: Id, request: Request, db: Db, principal: CurrentPrincipal, saved: Saved = ""
) -> Response:
    found = obligation_views.get_obligation(db, assignment_id=assignment_id, today=today())
    if not can_view_person(db, principal, found.assignment.person_id):
        raise NotFound(f"No assignment {assignment_id}.")
    history = obligation_views.assignment_history(db, assignment_id=assignment_id)
    own = principal.person_id == found.assignment.person_id
    context = {"o": found, "own": own, "saved": saved, **history, **LABELS}
    return render(request, "push/assignment.html", context)


@router.post("/compliance/assignments/{assignment_id}/exemption")
def exempt(assignment_id: Id, db: Db, principal: Admin, form: Exemption) -> Response:
    actor = Actor.of(principal.account)
    fulfilment.grant_exemption(
        db, assignment_id=assignment_id, reason=form.reason, ends_on=form.ends_on, actor=actor
    )
    db.commit()
    return RedirectResponse(f"/compliance/assignments/{assignment_id}?saved=exempted", status_code=303)


@router.post("/compliance/assignments/{assignment_id}/exemption/revoke")
def unexempt(assignment_id: Id, db: Db, principal: Admin, form: Revoke) -> Response:
    fulfilment.revoke_exemption(
        db, assignment_id=assignment_id, reason=form.reason, actor=Actor.of(principal.account)
    )
    db.commit()
    return RedirectResponse(f"/compliance/assignments/{assignment_id}?saved=unexempted", status_code=303)


@router.post("/compliance/assignments/{assignment_id}/due")
def set_due(assignment_id: Id, db: Db, principal: Admin, form: NewDue) -> Response:
    actor = Actor.of(principal.account)
    fulfilment.change_due(
        db, assignment_id=assignment_id, due_on=form.due_on, reason=form.reason, actor=actor
    )
    db.commit()
    return RedirectResponse(f"/compliance/assignments/{assignment_id}?saved=due", status_code=303)

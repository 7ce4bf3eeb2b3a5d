"""Compliance pages: requirements and their preview, oversight and assignments (L&D admins and
auditors), a manager's team compliance. A learner's obligations are on home; completions and the audit
trail are in push.fulfilment_web."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role, can_view_person
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.csv_export import csv_response
from learnbridge.core.db import utcnow
from learnbridge.core.deps import Db, FormFields, parse_form
from learnbridge.core.errors import FieldError, Forbidden, Invalid, NotFound
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.people.service import list_job_profiles, list_locations, list_org_units
from learnbridge.push import fulfilment, heatmap_views, obligation_views, reminders, requirements, team_views
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
from learnbridge.push.models import COMPLIANT, STATUS_LABELS, AssignmentStatus, RequirementOrigin
from learnbridge.push.schemas import BulkExemptionIn, ManagerAssignIn

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


@router.post("/admin/requirements/preview")
def preview_new(request: Request, db: Db, _: Admin, form: FormFields) -> Response:
    return _preview(request, db, form, None)


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
def preview(requirement_id: Id, request: Request, db: Db, _: Admin, form: FormFields) -> Response:
    return _preview(request, db, form, requirement_id)


def _preview(request: Request, db: Db, form: FormData, requirement_id: int | None) -> Response:
    try:
        data = requirement_from_form(db, form)
        found = requirements.preview_requirement(db, data=data, requirement_id=requirement_id)
    except Invalid as exc:
        return render(request, "_error.html", {"error": exc, "errors": exc.errors}, status_code=422)
    return render(request, "push/_preview.html", {"preview": found})


@router.get("/admin/requirements/{requirement_id}/activate")
def confirm_activation(requirement_id: Id, request: Request, db: Db, _: Admin) -> Response:
    """Activation asks first, with the count: the page's button is what sends `confirm=yes`."""
    found = requirements.activation_preview(db, requirement_id=requirement_id, today=today())
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


@router.get("/team/compliance")
def team(
    request: Request,
    db: Db,
    principal: Manager,
    assigned: str = "",
    status: Annotated[str, Query(max_length=40)] = "",
    requirement: Id | None = None,
    unit: Id | None = None,
    sort: Annotated[str, Query(max_length=20)] = "urgency",
    desc: bool = False,
    person_ids: Annotated[list[Id] | None, Query(max_length=500)] = None,
) -> Response:
    filters = _team_filters(status, sort)
    selected = [str(i) for i in person_ids or []]
    context = _team_context(
        db,
        principal,
        status=filters,
        requirement=requirement,
        unit=unit,
        sort=sort,
        desc=desc,
        assigned=assigned,
        values={"person_ids": selected},
        notice=request.query_params.get("done", "")[:300],
    )
    return render(request, "push/team.html", context)


def _team_filters(status: str, sort: str) -> AssignmentStatus | None:
    errors = []
    if status and status not in AssignmentStatus.__members__:
        errors.append(FieldError(field="status", message=f"must be one of {', '.join(AssignmentStatus)}"))
    if sort not in team_views.SORTS:
        errors.append(FieldError(field="sort", message=f"must be one of {', '.join(team_views.SORTS)}"))
    if errors:
        raise Invalid(errors)
    return AssignmentStatus(status) if status else None


def _team_context(
    db: Db,
    principal: Principal,
    *,
    status: AssignmentStatus | None = None,
    requirement: int | None = None,
    unit: int | None = None,
    sort: str = "urgency",
    desc: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    manager_id = principal.person_id or 0
    view = team_views.team_view(
        db,
        manager_id=manager_id,
        today=today(),
        status=status,
        requirement_id=requirement,
        unit_id=unit,
        sort=sort,
        descending=desc,
    )
    return {
        "view": view,
        "filters": {"status": status.value if status else "", "requirement": requirement, "unit": unit},
        "sort": sort,
        "desc": desc,
        "sorts": team_views.SORTS,
        "can_exempt": principal.has(Role.ld_admin),
        "reports": obligation_views.team_members(db, manager_id=manager_id),
        "items": items(db),
        "values": {},
        **LABELS,
        **extra,
    }


def _chosen_reports(db: Db, principal: Principal, form: FormData) -> list[int]:
    """The people ticked on the team page: ids, at most 500, each below this manager."""
    raw = form.getlist("person_ids")
    if not raw:
        raise Invalid(field="person_ids", message="tick at least one person")
    if len(raw) > 500:
        raise Invalid(field="person_ids", message="at most 500 people at once")
    try:
        ids = sorted({int(str(v)) for v in raw})
    except ValueError:
        raise Invalid(field="person_ids", message="must be person ids") from None
    mine = {p.id for p in obligation_views.team_members(db, manager_id=principal.person_id or 0)}
    if not set(ids) <= mine:
        raise Invalid(field="person_ids", message="you can only choose people who report to you")
    return ids


BULK_ACTIONS = ("remind", "assign", "exempt")


@router.post("/team/bulk")
def team_bulk(request: Request, db: Db, principal: Manager, form: FormFields) -> Response:
    """What the team page's bulk buttons do with the ticked people: remind them now, open the assign
    form with them ticked, or (L&D admins) exempt them from a requirement with a reason."""
    action = str(form.get("action", ""))
    try:
        if action not in BULK_ACTIONS:
            raise Invalid(field="action", message=f"must be one of {', '.join(BULK_ACTIONS)}")
        ids = _chosen_reports(db, principal, form)
        if action == "assign":
            query = urlencode([("person_ids", i) for i in ids])
            return RedirectResponse(f"/team/compliance?{query}#assign-heading", status_code=303)
        done = _remind(db, principal, ids) if action == "remind" else _exempt(db, principal, ids, form)
    except Invalid as exc:
        db.rollback()
        context = _team_context(db, principal, error=exc, errors=exc.errors)
        return render(request, "push/team.html", context, status_code=422)
    db.commit()
    return RedirectResponse("/team/compliance?" + urlencode({"done": done}), status_code=303)


def _remind(db: Db, principal: Principal, ids: list[int]) -> str:
    view = team_views.team_view(db, manager_id=principal.person_id or 0, today=today())
    person = principal.account.person
    sender = person.name if person is not None else principal.account.email
    reminded = idle = 0
    for row in view.rows:
        if row.person.id not in ids:
            continue
        open_items = [
            reminders.OpenItem(
                requirement=o.requirement.name, due_on=o.assignment.due_on, late=o.status in team_views.LATE
            )
            for o in row.counted
            if o.status not in COMPLIANT
        ]
        if reminders.remind_by_hand(db, person=row.person, items=open_items, sender=sender):
            reminded += 1
        else:
            idle += 1
    done = f"Reminded {reminded} {'person' if reminded == 1 else 'people'}"
    if idle:
        done += f"; {idle} had nothing left to do and got no reminder"
    return done + "."


def _exempt(db: Db, principal: Principal, ids: list[int], form: FormData) -> str:
    """An exemption is an L&D admin's to grant (as on the assignment page)."""
    if not principal.has(Role.ld_admin):
        raise Forbidden("Only L&D admins grant exemptions; ask yours, or raise it in the exceptions queue.")
    data = parse_form(BulkExemptionIn, form)
    view = team_views.team_view(
        db, manager_id=principal.person_id or 0, today=today(), requirement_id=data.requirement_id
    )
    actor = Actor.of(principal.account)
    exempted = 0
    for row in view.rows:
        for o in row.obligations:
            if row.person.id in ids and o.status not in (AssignmentStatus.exempt, *COMPLIANT):
                fulfilment.grant_exemption(
                    db, assignment_id=o.assignment.id, reason=data.reason, ends_on=data.ends_on, actor=actor
                )
                exempted += 1
    if not exempted:
        raise Invalid(
            field="person_ids", message="none of the people ticked has an open assignment of that requirement"
        )
    return f"Exempted {exempted} {'person' if exempted == 1 else 'people'} from the requirement."


@router.post("/team/assign")
def assign(request: Request, db: Db, principal: Manager, form: FormFields) -> Response:
    values = {
        "item_id": str(form.get("item_id", "")),
        "due_on": str(form.get("due_on", "")),
        "reason": str(form.get("reason", "")),
        "person_ids": [str(v) for v in form.getlist("person_ids")],
    }
    try:
        data = parse_form(ManagerAssignIn, form)
        requirements.assign_by_manager(
            db, manager_id=principal.person_id or 0, data=data, actor=Actor.of(principal.account)
        )
    except Invalid as exc:
        db.rollback()
        context = _team_context(db, principal, values=values, error=exc, errors=exc.errors)
        return render(request, "push/team.html", context, status_code=422)
    db.commit()
    return RedirectResponse(f"/team/compliance?assigned={len(data.person_ids)}", status_code=303)

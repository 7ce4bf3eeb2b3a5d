"""A manager's team compliance page: one row per report with filters, sorting and bulk actions (remind,
assign, exempt), and assigning learning to reports. The compliance pages for L&D and auditors are in
push.web."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import require_role
from learnbridge.accounts.policy import Principal, Role, reports_subtree
from learnbridge.core.deps import Db, FormFields, parse_form
from learnbridge.core.errors import FieldError, Forbidden, Invalid
from learnbridge.core.ids import MAX_ID, Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.people.models import Person
from learnbridge.push import fulfilment, reminders, requirements, team_views
from learnbridge.push.audit import Actor
from learnbridge.push.models import COMPLIANT, AssignmentStatus
from learnbridge.push.schemas import BulkExemptionIn, ManagerAssignIn
from learnbridge.push.web import LABELS, items, today

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Manager = Annotated[Principal, require_role(Role.manager)]


class TeamQuery(BaseModel):
    """What the team page's address asks for: filters, sort, page, and people ticked by a bulk action."""

    assigned: Annotated[str, Field(max_length=10)] = ""
    done: Annotated[str, Field(max_length=300)] = ""
    status: Annotated[str, Field(max_length=40)] = ""
    requirement: Id | None = None
    unit: Id | None = None
    sort: Annotated[str, Field(max_length=20)] = "urgency"
    desc: bool = False
    person_ids: Annotated[list[Id], Field(max_length=500)] = []
    page: Annotated[int, Field(ge=1, le=10_000)] = 1

    @field_validator("requirement", "unit", mode="before")
    @classmethod
    def _any(cls, value: object) -> object:
        """The filter form's "Any" sends an empty value: no filter."""
        return None if value == "" else value


@router.get("/team/compliance")
def team(request: Request, db: Db, principal: Manager, query: Annotated[TeamQuery, Query()]) -> Response:
    context = _team_context(
        db,
        principal,
        status=_team_filters(query.status, query.sort),
        requirement=query.requirement,
        unit=query.unit,
        sort=query.sort,
        desc=query.desc,
        page=query.page,
        assigned=query.assigned,
        values={"person_ids": [str(i) for i in query.person_ids]},
        notice=query.done,
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
    page: int = 1,
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
        page=page,
    )
    return {
        "view": view,
        "filters": {"status": status.value if status else "", "requirement": requirement, "unit": unit},
        "sort": sort,
        "desc": desc,
        "sorts": team_views.SORTS,
        "can_exempt": principal.has(Role.ld_admin),
        "report_options": [(m.id, m.name) for m in view.members],
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
    if not all(1 <= i <= MAX_ID for i in ids):
        raise Invalid(field="person_ids", message="must be person ids")
    below = reports_subtree(principal.person_id or 0)
    mine = set(db.scalars(select(Person.id).where(Person.id.in_(ids), Person.id.in_(below))))
    if len(mine) != len(ids):
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
    view = team_views.team_view(
        db, manager_id=principal.person_id or 0, today=today(), page=None, person_ids=ids
    )
    person = principal.account.person
    sender = person.name if person is not None else principal.account.email
    chosen = {p.id: p for p in db.scalars(select(Person).where(Person.id.in_(ids)))}
    reminded = idle = 0
    for row in view.rows:
        open_items = [
            reminders.OpenItem(requirement=o.requirement, due_on=o.due_on, late=o.status in team_views.LATE)
            for o in row.counted
            if o.status not in COMPLIANT
        ]
        if reminders.remind_by_hand(db, person=chosen[row.person.id], items=open_items, sender=sender):
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
        db,
        manager_id=principal.person_id or 0,
        today=today(),
        requirement_id=data.requirement_id,
        page=None,
        person_ids=ids,
    )
    actor = Actor.of(principal.account)
    exempted = 0
    for row in view.rows:
        for o in row.obligations:
            if o.status not in (AssignmentStatus.exempt, *COMPLIANT):
                fulfilment.grant_exemption(
                    db, assignment_id=o.assignment_id, reason=data.reason, ends_on=data.ends_on, actor=actor
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

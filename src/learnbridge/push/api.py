"""Compliance JSON API under /api/v1: requirements, assignments, completions, oversight, audit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role, can_view_person
from learnbridge.catalog.schemas import ItemRef
from learnbridge.core.db import utcnow
from learnbridge.core.deps import CsvFile, Db
from learnbridge.core.errors import NotFound
from learnbridge.core.ids import Id
from learnbridge.push import fulfilment, obligation_views, requirements
from learnbridge.push.assignments import RecomputeResult, recompute
from learnbridge.push.audience import describe
from learnbridge.push.audit import Actor
from learnbridge.push.models import Requirement, RequirementOrigin
from learnbridge.push.obligation_views import Obligation
from learnbridge.push.schemas import (
    AssignmentOut,
    AssignmentPage,
    CompletionIn,
    CompletionOut,
    DueChangeIn,
    ExemptionIn,
    ImportOut,
    ManagerAssignIn,
    PreviewOut,
    RequirementIn,
    RequirementOut,
    RequirementPage,
    RequirementRef,
    RuleOut,
)

router = APIRouter(tags=["compliance"])
Admin = Annotated[Principal, require_role(Role.ld_admin)]
Reader = Annotated[Principal, require_role(Role.ld_admin, Role.auditor)]
Manager = Annotated[Principal, require_role(Role.manager)]


def today() -> dt.date:
    return utcnow().date()


def requirement_out(r: Requirement) -> RequirementOut:
    data = requirements.requirement_input(r)
    return RequirementOut(
        id=r.id,
        name=r.name,
        description=r.description,
        origin=r.origin,
        status=r.status,
        item_ids=data.item_ids,
        rules=[
            RuleOut(**rule.model_dump(), description=describe(stored))
            for rule, stored in zip(data.rules, r.rules, strict=True)
        ],
        due_kind=r.due_kind,
        due_date=r.due_date,
        due_days=r.due_days,
        grace_days=r.grace_days,
        validity_months=r.validity_months,
        window_days=r.window_days,
        renew_from=r.renew_from,
        reminders=data.reminders,
        activated_at=r.activated_at,
        updated_at=r.updated_at,
    )


def assignment_out(o: Obligation) -> AssignmentOut:
    items = [ItemRef(id=i.id, title=i.title) for i in o.items]
    a = o.assignment
    return AssignmentOut(
        id=a.id,
        requirement=RequirementRef(id=o.requirement.id, name=o.requirement.name, origin=o.requirement.origin),
        item=items[0],
        items=items,
        person_id=a.person_id,
        status=o.status.value,
        assigned_on=a.assigned_on,
        due_at=a.due_on,
        completed_on=a.completed_on,
        expires_on=a.expires_on,
        cycle=a.cycle,
        reason=o.reason,
        due_reason=o.due_reason,
    )


@router.get("/me/assignments")
def list_my_assignments(db: Db, principal: CurrentPrincipal, include_closed: bool = False) -> AssignmentPage:
    """What is required of the token's owner, most urgent first, each with why and why that date."""
    if principal.person_id is None:
        return AssignmentPage(items=[])
    found = obligation_views.obligations_of(
        db, person_id=principal.person_id, today=today(), include_closed=include_closed
    )
    return AssignmentPage(items=[assignment_out(o) for o in found])


@router.post("/me/assignments/{assignment_id}/start")
def start_assignment(assignment_id: Id, db: Db, principal: CurrentPrincipal) -> AssignmentOut:
    fulfilment.mark_started(db, assignment_id=assignment_id, person_id=principal.person_id or 0)
    return _committed(db, assignment_id)


def _committed(db: Db, assignment_id: int) -> AssignmentOut:
    """Commit a change to one assignment and answer with it as it now stands."""
    db.commit()
    return assignment_out(obligation_views.get_obligation(db, assignment_id=assignment_id, today=today()))


@router.get("/assignments/{assignment_id}")
def get_assignment(assignment_id: Id, db: Db, principal: CurrentPrincipal) -> AssignmentOut:
    found = obligation_views.get_obligation(db, assignment_id=assignment_id, today=today())
    if not can_view_person(db, principal, found.assignment.person_id):
        raise NotFound(f"No assignment {assignment_id}.")
    return assignment_out(found)


@router.post("/assignments/{assignment_id}/exemption", status_code=201)
def grant_exemption(assignment_id: Id, data: ExemptionIn, db: Db, principal: Admin) -> AssignmentOut:
    fulfilment.grant_exemption(
        db,
        assignment_id=assignment_id,
        reason=data.reason,
        ends_on=data.ends_on,
        actor=Actor.of(principal.account),
    )
    return _committed(db, assignment_id)


@router.delete("/assignments/{assignment_id}/exemption")
def revoke_exemption(
    assignment_id: Id, db: Db, principal: Admin, reason: Annotated[str, Query(min_length=3)]
) -> AssignmentOut:
    fulfilment.revoke_exemption(
        db, assignment_id=assignment_id, reason=reason, actor=Actor.of(principal.account)
    )
    return _committed(db, assignment_id)


@router.put("/assignments/{assignment_id}/due")
def change_due_date(assignment_id: Id, data: DueChangeIn, db: Db, principal: Admin) -> AssignmentOut:
    fulfilment.change_due(
        db,
        assignment_id=assignment_id,
        due_on=data.due_on,
        reason=data.reason,
        actor=Actor.of(principal.account),
    )
    return _committed(db, assignment_id)


@router.get("/requirements")
def list_requirements(db: Db, _: Reader, origin: RequirementOrigin | None = None) -> RequirementPage:
    return RequirementPage(
        items=[requirement_out(r) for r in requirements.list_requirements(db, origin=origin)]
    )


@router.post("/requirements", status_code=201)
def create_requirement(data: RequirementIn, db: Db, principal: Admin) -> RequirementOut:
    requirement = requirements.create_requirement(db, data=data, actor=Actor.of(principal.account))
    db.commit()
    return requirement_out(requirement)


PreviewPage = Annotated[int, Query(ge=1, le=100_000, description="Which page of `people` (50 a page).")]


@router.post("/requirements/preview")
def preview_new_requirement(data: RequirementIn, db: Db, _: Admin, page: PreviewPage = 1) -> PreviewOut:
    """Who a new requirement would assign, without saving it (`people`: 50 a page, `page` of `pages`)."""
    return requirements.preview_requirement(db, data=data, page=page)


@router.get("/requirements/{requirement_id}")
def get_requirement(requirement_id: Id, db: Db, _: Reader) -> RequirementOut:
    return requirement_out(requirements.get_requirement(db, requirement_id))


@router.put("/requirements/{requirement_id}")
def update_requirement(requirement_id: Id, data: RequirementIn, db: Db, principal: Admin) -> RequirementOut:
    requirements.update_requirement(
        db, requirement_id=requirement_id, data=data, actor=Actor.of(principal.account)
    )
    db.commit()
    return requirement_out(requirements.get_requirement(db, requirement_id))


@router.post("/requirements/{requirement_id}/preview")
def preview_requirement(
    requirement_id: Id, data: RequirementIn, db: Db, _: Admin, page: PreviewPage = 1
) -> PreviewOut:
    """Who saving these changes would add and remove, and how many would be overdue at once."""
    return requirements.preview_requirement(db, data=data, requirement_id=requirement_id, page=page)


@router.post("/requirements/{requirement_id}/activate")
def activate_requirement(requirement_id: Id, db: Db, principal: Admin) -> RecomputeResult:
    result = requirements.activate_requirement(
        db, requirement_id=requirement_id, actor=Actor.of(principal.account)
    )
    db.commit()
    return result


@router.post("/requirements/{requirement_id}/archive")
def archive_requirement(requirement_id: Id, db: Db, principal: Admin, reason: str = "") -> RecomputeResult:
    result = requirements.archive_requirement(
        db, requirement_id=requirement_id, actor=Actor.of(principal.account), reason=reason
    )
    db.commit()
    return result


@router.post("/push/recompute")
def recompute_assignments(db: Db, principal: Admin) -> RecomputeResult:
    """The full recompute (normally unnecessary: changes recompute what they touch)."""
    result = recompute(db, actor=Actor.of(principal.account))
    db.commit()
    return result


@router.get("/team/assignments")
def list_team_assignments(db: Db, principal: Manager) -> AssignmentPage:
    """The manager's reports' assignments (all levels below), overdue and expired first."""
    found = obligation_views.team_obligations(db, manager_id=principal.person_id or 0, today=today())
    return AssignmentPage(items=[assignment_out(o) for o in found])


@router.post("/team/assignments", status_code=201)
def assign_to_reports(data: ManagerAssignIn, db: Db, principal: Manager) -> RequirementOut:
    requirement = requirements.assign_by_manager(
        db, manager_id=principal.person_id or 0, data=data, actor=Actor.of(principal.account)
    )
    db.commit()
    return requirement_out(requirement)


@router.post("/completions", status_code=201)
def record_completion(data: CompletionIn, db: Db, principal: Admin) -> CompletionOut:
    """A completion recorded by hand, with its evidence; it satisfies matching assignments."""
    completion, _ = fulfilment.record_completion(
        db,
        person_id=data.person_id,
        item_id=data.item_id,
        completed_at=data.completed_at,
        evidence=data.evidence,
        actor=Actor.of(principal.account),
    )
    db.commit()
    return CompletionOut(
        id=completion.id,
        person_id=completion.person_id,
        item_id=completion.item_id,
        completed_at=completion.completed_at,
        source=completion.source,
        evidence=completion.evidence,
    )


@router.post(
    "/completions/import",
    openapi_extra={
        "requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}
    },
)
def import_completions(db: Db, principal: Admin, body: CsvFile) -> ImportOut:
    """A CSV of completions (person, item_id, completed_on[, evidence, reference]); all rows or none."""
    result, applied = fulfilment.import_completions(db, body.text(), actor=Actor.of(principal.account))
    db.commit()
    return ImportOut(created=len(result.created), duplicates=result.duplicates, assignments_completed=applied)

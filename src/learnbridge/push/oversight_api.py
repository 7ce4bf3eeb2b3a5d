"""Compliance oversight and the audit trail as JSON and CSV under /api/v1 (admins and auditors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import StreamingResponse

from learnbridge.core.csv_export import csv_response
from learnbridge.core.dates import Day
from learnbridge.core.deps import Db
from learnbridge.core.ids import Id
from learnbridge.push import audit_views, heatmap_views, obligation_views
from learnbridge.push.api import Reader, assignment_out
from learnbridge.push.api import today as _today
from learnbridge.push.audit_views import AuditFilter
from learnbridge.push.heatmap_views import Cell, Heatmap
from learnbridge.push.models import AssignmentStatus, AuditAction
from learnbridge.push.schemas import (
    AssignmentPage,
    AuditOut,
    AuditPage,
    HeatCell,
    HeatColumn,
    HeatmapOut,
    HeatRow,
    RequirementRef,
)

router = APIRouter(tags=["compliance"])


def heatmap_out(h: Heatmap) -> HeatmapOut:
    def cell(unit_id: int, c: Cell) -> HeatCell:
        return HeatCell(
            unit_id=unit_id,
            total=c.total,
            compliant=c.compliant,
            overdue=c.overdue,
            exempt=c.exempt,
            percent=c.percent,
        )

    rows = [
        HeatRow(
            requirement=RequirementRef(id=r.id, name=r.name, origin=r.origin),
            cells=[cell(u.id, h.cell(r.id, u.id)) for u in h.columns],
            total=cell(h.unit.id if h.unit else 0, h.totals.get(r.id, Cell())),
        )
        for r in h.requirements
    ]
    columns = [HeatColumn(unit_id=u.id, name=u.name, has_children=u.id in h.parents) for u in h.columns]
    return HeatmapOut(unit_id=h.unit.id if h.unit else None, columns=columns, rows=rows)


@router.get("/compliance/heatmap")
def get_heatmap(db: Db, _: Reader, unit: Id | None = None) -> HeatmapOut:
    """Compliance % per requirement and unit (columns: the unit's children with their subtrees)."""
    return heatmap_out(heatmap_views.heatmap(db, unit_id=unit, today=_today()))


@router.get("/compliance/cell")
def list_cell_assignments(
    db: Db, _: Reader, requirement: Id, unit: Id | None = None, status: AssignmentStatus | None = None
) -> AssignmentPage:
    """The assignments behind one heatmap cell: every number on the oversight page traces to these."""
    found = obligation_views.cell_obligations(
        db, requirement_id=requirement, unit_id=unit, today=_today(), state=status.value if status else None
    )
    return AssignmentPage(items=[assignment_out(o) for o in found])


@router.get("/compliance/expiring")
def list_expiring_assignments(
    db: Db, _: Reader, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> AssignmentPage:
    return AssignmentPage(
        items=[assignment_out(o) for o in obligation_views.expiring(db, days=days, today=_today())]
    )


@router.get("/compliance/exceptions")
def list_exceptions(db: Db, _: Reader) -> AssignmentPage:
    """Assignments waiting for a due date because the person's hire date is missing."""
    return AssignmentPage(items=[assignment_out(o) for o in obligation_views.exceptions(db, today=_today())])


@router.get("/compliance/export.csv", response_class=StreamingResponse)
def export_assignments(db: Db, _: Reader, requirement: Id | None = None) -> StreamingResponse:
    return csv_response(
        obligation_views.export_rows(db, today=_today(), requirement_id=requirement), "assignments.csv"
    )


def audit_filter(
    action: AuditAction | None,
    requirement: int | None,
    person: int | None,
    since: dt.date | None,
    until: dt.date | None,
    *,
    person_search: str | None = None,
    actor: str | None = None,
) -> AuditFilter:
    return AuditFilter(
        action=action.value if action else None,
        requirement_id=requirement,
        person_id=person,
        since=since,
        until=until,
        person_search=audit_views.search_text(person_search, field="person_search"),
        actor=audit_views.search_text(actor, field="actor"),
    )


# Bounded before the rule's own check, so an over-long value is refused before it is even read.
SearchParam = Annotated[str | None, Query(max_length=audit_views.MAX_SEARCH)]


@router.get("/audit")
def list_audit_events(
    db: Db,
    _: Reader,
    action: AuditAction | None = None,
    requirement: Id | None = None,
    person: Id | None = None,
    since: Day | None = None,
    until: Day | None = None,
    person_search: SearchParam = None,
    actor: SearchParam = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """The audit trail, newest first, with filters (`person_search`: part of a person's name or e-mail,
    or their HR ID; `actor`: part of who made the change); keyset-paged."""
    filters = audit_filter(
        action, requirement, person, since, until, person_search=person_search, actor=actor
    )
    found = audit_views.audit_events(db, filters=filters, cursor=cursor, limit=limit)
    items = [AuditOut.model_validate(e, from_attributes=True) for e in found.items]
    return AuditPage(items=items, next=found.next)


@router.get("/audit.csv", response_class=StreamingResponse)
def export_audit_events(
    db: Db,
    _: Reader,
    action: AuditAction | None = None,
    requirement: Id | None = None,
    person: Id | None = None,
    since: Day | None = None,
    until: Day | None = None,
    person_search: SearchParam = None,
    actor: SearchParam = None,
) -> StreamingResponse:
    filters = audit_filter(
        action, requirement, person, since, until, person_search=person_search, actor=actor
    )
    rows = audit_views.audit_rows(db, filters=filters)
    return csv_response(rows, "audit.csv")

"""Fulfilment pages: recording and importing completions (L&D admins) and the audit trail (admins and
auditors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from learnbridge.core.csv_export import csv_response
from learnbridge.core.deps import CsvFile, Db, FormFields
from learnbridge.core.errors import FieldError, Invalid
from learnbridge.core.ids import MAX_ID
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.people.service import find_person_by_key
from learnbridge.push import audit_views, fulfilment, requirements
from learnbridge.push.audit import Actor
from learnbridge.push.audit_views import AuditFilter
from learnbridge.push.models import AuditAction
from learnbridge.push.oversight_api import audit_filter
from learnbridge.push.web import Admin, Reader, items, today
from learnbridge.records.service import day_at_noon

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


@router.get("/admin/completions/new")
def completion_form(request: Request, db: Db, _: Admin, person: str = "", saved: str = "") -> Response:
    context = {
        "items": items(db),
        "values": {"person": person, "completed_on": today().isoformat()},
        "saved": saved,
    }
    return render(request, "push/completion.html", context)


@router.post("/admin/completions/new")
def record_completion(request: Request, db: Db, principal: Admin, form: FormFields) -> Response:
    values = {
        key: str(form.get(key, "")).strip() for key in ("person", "item_id", "completed_on", "evidence")
    }
    try:
        completion, applied = fulfilment.record_completion(
            db, **_completion_args(db, values), actor=Actor.of(principal.account)
        )
    except Invalid as exc:
        db.rollback()
        context = {"items": items(db), "values": values, "error": exc, "errors": exc.errors}
        return render(request, "push/completion.html", context, status_code=422)
    db.commit()
    saved = (
        f"Recorded: {completion.person.name} completed {completion.item.title}; "
        f"{applied} assignment(s) satisfied."
    )
    return render(request, "push/completion.html", {"items": items(db), "values": {}, "saved": saved})


def _completion_args(db: Db, values: dict[str, str]) -> dict[str, Any]:
    errors: list[FieldError] = []
    person = find_person_by_key(db, values["person"]) if values["person"] else None
    if person is None:
        errors.append(FieldError("person", "enter the external id or e-mail address of a person"))
    try:
        day = dt.date.fromisoformat(values["completed_on"])
    except ValueError:
        errors.append(FieldError("completed_on", "must be a date (YYYY-MM-DD)"))
        day = today()
    if not values["item_id"].isdigit():
        errors.append(FieldError("item_id", "choose the learning that was completed"))
    if errors:
        raise Invalid(errors)
    assert person is not None
    return {
        "person_id": person.id,
        "item_id": int(values["item_id"]),
        "evidence": values["evidence"],
        "completed_at": day_at_noon(day),
    }


@router.get("/admin/completions/import")
def import_form(request: Request, _: Admin) -> Response:
    return render(request, "push/import.html", {})


@router.post("/admin/completions/import")
def import_completions(request: Request, db: Db, principal: Admin, file: CsvFile) -> Response:
    try:
        result, applied = fulfilment.import_completions(db, file.text(), actor=Actor.of(principal.account))
    except Invalid as exc:
        db.rollback()
        return render(request, "push/import.html", {"error": exc, "errors": exc.errors}, status_code=422)
    db.commit()
    summary = {"created": len(result.created), "duplicates": result.duplicates, "applied": applied}
    return render(request, "push/import.html", {"summary": summary})


@dataclass(frozen=True)
class AuditQuery:
    """The audit page's filter form, as sent: empty fields mean "any"; anything else must parse."""

    action: str = ""
    requirement: str = ""
    person: str = ""
    since: str = ""
    until: str = ""
    person_search: str = ""
    actor: str = ""

    def filters(self) -> AuditFilter:
        if self.action and self.action not in ACTIONS:
            raise Invalid(field="action", message="is not an audit action")
        return audit_filter(
            AuditAction(self.action) if self.action else None,
            _number(self.requirement, "requirement"),
            _number(self.person, "person"),
            _date(self.since, "since"),
            _date(self.until, "until"),
            person_search=self.person_search,
            actor=self.actor,
        )


ACTIONS = frozenset(action.value for action in AuditAction)


def _number(value: str, field: str) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise Invalid(field=field, message="must be an id")
    return int(value)


def _date(value: str, field: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise Invalid(field=field, message="must be a date (YYYY-MM-DD)") from None


@router.get("/audit")
def audit(
    request: Request,
    db: Db,
    _: Reader,
    query: Annotated[AuditQuery, Depends()],
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    filters = query.filters()
    found = audit_views.audit_events(db, filters=filters, cursor=cursor, limit=100)
    context = {
        "events": found,
        "filters": filters,
        "actions": list(AuditAction),
        "requirements": requirements.list_requirements(db),
    }
    return render(request, "push/audit.html", context)


@router.get("/audit.csv")
def audit_export(db: Db, _: Reader, query: Annotated[AuditQuery, Depends()]) -> Response:
    return csv_response(audit_views.audit_rows(db, filters=query.filters()), "audit.csv")

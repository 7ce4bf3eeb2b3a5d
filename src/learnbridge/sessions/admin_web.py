"""L&D admin pages for sessions: the list, new and edit forms, cancelling with a reason, and a session's
roster in queue order with attendance marking (which the session's instructor may also do)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb, require_role
from learnbridge.accounts.policy import Principal, Role, require
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.db import utcnow
from learnbridge.core.deps import Db, FormFields
from learnbridge.core.errors import Conflict, DomainError, Invalid
from learnbridge.core.ids import MAX_ID, Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.people.models import Person
from learnbridge.sessions import attendance, booking_views, service
from learnbridge.sessions.forms import CancelSession, form_values, session_from_form, session_values
from learnbridge.sessions.models import KIND_LABELS, LearningSession
from learnbridge.sessions.schemas import SessionPatch

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]
WHEN = ("upcoming", "past", "cancelled")


def _editor(db: Db) -> dict[str, Any]:
    items = select(LearningItem).where(LearningItem.status == ItemStatus.published.value)
    people = select(Person).where(Person.active.is_(True)).order_by(Person.name).limit(2000)
    return {
        "items": list(db.scalars(items.order_by(LearningItem.title))),
        "people": list(db.scalars(people)),
        "zones": service.zone_names(),
        "kind_labels": KIND_LABELS,
    }


@router.get("/admin/sessions")
def admin_sessions(request: Request, db: Db, _: Admin, when: str = "upcoming", cursor: str = "") -> Response:
    when = when if when in WHEN else "upcoming"
    found = service.list_sessions(db, when=when, cursor=cursor or None)
    return render(request, "sessions/admin_list.html", {"found": found, "when": when, "whens": WHEN})


@router.get("/admin/sessions/new")
def new_session(request: Request, db: Db, _: Admin) -> Response:
    context = {"s": None, "values": session_values(None), **_editor(db)}
    return render(request, "sessions/form.html", context)


@router.post("/admin/sessions/new")
def create_session(request: Request, db: Db, _: Admin, form: FormFields) -> Response:
    try:
        session = service.create_session(db, data=session_from_form(form))
    except Invalid as exc:
        return _form_again(request, db, None, form_values(form), exc)
    db.commit()
    return RedirectResponse(f"/admin/sessions/{session.id}?saved=created", status_code=303)


@router.get("/admin/sessions/{session_id}/edit")
def edit_session(session_id: Id, request: Request, db: Db, _: Admin) -> Response:
    session = service.get_session(db, session_id)
    context = {"s": session, "values": session_values(session), **_editor(db)}
    return render(request, "sessions/form.html", context)


@router.post("/admin/sessions/{session_id}/edit")
def update_session(session_id: Id, request: Request, db: WriteDb, _: Admin, form: FormFields) -> Response:
    try:
        data = session_from_form(form)
        patch = SessionPatch(**data.model_dump(exclude={"item_id"}))
        change = service.change_session(db, session_id=session_id, patch=patch)
    except Invalid as exc:
        db.rollback()
        return _form_again(request, db, service.get_session(db, session_id), form_values(form), exc)
    db.commit()
    return RedirectResponse(f"/admin/sessions/{session_id}?saved=changed&told={change.told}", status_code=303)


def _form_again(
    request: Request, db: Db, session: LearningSession | None, values: dict[str, Any], exc: Invalid
) -> Response:
    context = {"s": session, "values": values, "error": exc, "errors": exc.errors, **_editor(db)}
    return render(request, "sessions/form.html", context, status_code=422)


@router.post("/admin/sessions/{session_id}/cancel")
def cancel_session(session_id: Id, request: Request, db: WriteDb, _: Admin, form: CancelSession) -> Response:
    try:
        service.cancel_session(db, session_id=session_id, reason=form.reason)
    except Invalid as exc:
        db.rollback()
        return _roster_page(request, db, session_id, error=exc)
    db.commit()
    return RedirectResponse(f"/admin/sessions/{session_id}?saved=cancelled", status_code=303)


@router.get("/admin/sessions/{session_id}")
def roster(
    session_id: Id,
    request: Request,
    db: Db,
    principal: CurrentPrincipal,
    saved: Annotated[str, Query(max_length=20)] = "",
    told: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Response:
    require(attendance.can_mark(principal, service.get_session(db, session_id)))
    return _roster_page(request, db, session_id, saved=saved, told=told)


def _roster_page(
    request: Request,
    db: Db,
    session_id: int,
    *,
    saved: str = "",
    told: int = 0,
    error: DomainError | None = None,
    marks: dict[str, str] | None = None,
) -> Response:
    (row,) = service.rows_for(db, [service.get_session(db, session_id)])
    context = {
        "row": row,
        "s": row.session,
        "bookings": booking_views.roster(db, session_id=session_id),
        "started": utcnow() >= row.session.starts_at,
        "saved": saved,
        "told": told,
        "error": error,
        "errors": error.errors if isinstance(error, Invalid) else [],
        "marks": marks or {},
    }
    status = 200 if error is None else 422 if isinstance(error, Invalid) else 409
    return render(request, "sessions/roster.html", context, status_code=status)


def _person_ids(marks: dict[str, str], wanted: str) -> list[int]:
    """The person ids marked `wanted`; an id that is not one (`²`, 10**20) is a field error, not a crash."""
    found = []
    for key, mark in marks.items():
        if mark != wanted:
            continue
        if not re.fullmatch(r"[0-9]{1,10}", key) or not 1 <= int(key) <= MAX_ID:
            raise Invalid(field=f"attendance-{key}", message="is not a person on this roster")
        found.append(int(key))
    return found


@router.post("/admin/sessions/{session_id}/attendance")
def mark_attendance(
    session_id: Id, request: Request, db: WriteDb, principal: CurrentPrincipal, form: FormFields
) -> Response:
    """Each booked person's radio button: `attendance-<person id>` = attended | no_show | (blank)."""
    marks = {k.removeprefix("attendance-"): str(v) for k, v in form.items() if k.startswith("attendance-")}
    try:
        attended, no_show = _person_ids(marks, "attended"), _person_ids(marks, "no_show")
        attendance.mark_attendance(
            db, session_id=session_id, attended=attended, no_show=no_show, principal=principal
        )
    except (Invalid, Conflict) as exc:
        # The roster again, with the problem above it and every tick as it was sent.
        db.rollback()
        return _roster_page(request, db, session_id, error=exc, marks=marks)
    db.commit()
    return RedirectResponse(f"/admin/sessions/{session_id}?saved=attendance", status_code=303)

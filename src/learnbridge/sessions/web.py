"""A learner's session pages: the schedule, a session, booking and cancelling, My bookings with the
private calendar feed, the feed itself, and a manager's approvals. Admin pages are in admin_web."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog.service import get_item
from learnbridge.core.db import utcnow
from learnbridge.core.deps import Db
from learnbridge.core.errors import Conflict, Forbidden
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.records.schemas import CHOSEN_ORIGINS
from learnbridge.sessions import booking, booking_views, calendar, service
from learnbridge.sessions.forms import Booking, CancelBooking, Decision
from learnbridge.sessions.models import KIND_LABELS

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Approver = Annotated[Principal, require_role(Role.manager, Role.ld_admin)]
ICS = "text/calendar; charset=utf-8"


def _person(principal: Principal) -> int:
    if principal.person_id is None:
        raise Forbidden("This account has no person record, so it has no bookings.")
    return principal.person_id


@router.get("/sessions")
def schedule(
    request: Request,
    db: Db,
    _: CurrentPrincipal,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: str = "",
    date: dt.date | None = None,
    item: Id | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    kind = kind if kind in KIND_LABELS else ""
    found = service.list_sessions(db, text=q, kind=kind, on_or_after=date, item_id=item, cursor=cursor)
    context = {"found": found, "q": q, "kind": kind, "date": date or "", "kind_labels": KIND_LABELS}
    context["item"] = get_item(db, item) if item is not None else None
    return render(request, "sessions/schedule.html", context)


@router.get("/sessions/{session_id}")
def session_page(session_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    return _session_page(request, db, principal, session_id)


def _session_page(
    request: Request, db: Session, principal: Principal, session_id: int, error: Conflict | None = None
) -> Response:
    (row,) = service.rows_for(db, [service.get_session(db, session_id)])
    mine = None
    if principal.person_id is not None:
        mine = booking_views.my_booking(db, session_id=session_id, person_id=principal.person_id)
    context = {
        "row": row,
        "s": row.session,
        "mine": mine,
        "error": error,
        "origins": [o.value for o in CHOSEN_ORIGINS],
        "is_open": row.session.is_open_for_booking(utcnow()),
    }
    return render(request, "sessions/session.html", context, status_code=409 if error else 200)


@router.post("/sessions/{session_id}/book")
def book(
    session_id: Id, request: Request, db: WriteDb, principal: CurrentPrincipal, form: Booking
) -> Response:
    person_id = _person(principal)
    try:
        booking.book_seat(db, session_id=session_id, person_id=person_id, origin=form.origin)
    except Conflict as exc:
        db.rollback()
        return _session_page(request, db, principal, session_id, exc)
    db.commit()
    return RedirectResponse(f"/sessions/{session_id}", status_code=303)


@router.post("/sessions/{session_id}/cancel-booking")
def cancel_booking(session_id: Id, db: WriteDb, principal: CurrentPrincipal, form: CancelBooking) -> Response:
    person_id = _person(principal)
    booking.cancel_booking(db, session_id=session_id, person_id=person_id)
    db.commit()
    target = "/bookings" if form.next == "bookings" else f"/sessions/{session_id}"
    return RedirectResponse(target, status_code=303)


@router.get("/sessions/{session_id}/calendar.ics")
def session_ics(session_id: Id, db: Db, principal: CurrentPrincipal) -> Response:
    session = service.get_session(db, session_id)
    mine = None
    if principal.person_id is not None:
        mine = booking_views.my_booking(db, session_id=session_id, person_id=principal.person_id)
    text = calendar.download_ics(db, session, mine.booking if mine else None)
    headers = {"Content-Disposition": f'attachment; filename="session-{session_id}.ics"'}
    return Response(text, media_type=ICS, headers=headers)


@router.get("/bookings")
def my_bookings(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    return _bookings_page(request, db, principal)


def _bookings_page(request: Request, db: Session, principal: Principal, token: str = "") -> Response:
    person_id = _person(principal)
    upcoming, past = booking_views.my_bookings(db, person_id=person_id)
    feed_url = str(request.url_for("calendar_feed", token=token)) if token else ""
    context = {
        "upcoming": upcoming,
        "past": past,
        "feed": calendar.active_feed(db, person_id=person_id),
        "feed_url": feed_url,
    }
    return render(request, "sessions/bookings.html", context)


@router.post("/bookings/feed")
def create_feed(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    """The new URL is shown once, on this response: only its hash is stored."""
    token = calendar.create_feed(db, person_id=_person(principal))
    db.commit()
    return _bookings_page(request, db, principal, token)


@router.post("/bookings/feed/revoke")
def revoke_feed(db: Db, principal: CurrentPrincipal) -> Response:
    calendar.revoke_feed(db, person_id=_person(principal))
    db.commit()
    return RedirectResponse("/bookings", status_code=303)


@router.get("/calendar/{token}.ics", name="calendar_feed")
def calendar_feed(token: Annotated[str, Path(max_length=100)], db: Db) -> Response:
    return Response(calendar.feed_ics(db, token=token), media_type=ICS)


@router.get("/team/approvals")
def approvals(request: Request, db: Db, principal: Approver, done: Id | None = None) -> Response:
    found = booking_views.pending_approvals(db, principal=principal)
    decided = booking_views.decided_by(db, booking_id=done, principal=principal) if done else None
    return render(request, "sessions/approvals.html", {"pending": found, "decided": decided})


@router.post("/team/approvals/{booking_id}")
def decide(booking_id: Id, db: WriteDb, principal: Approver, form: Decision) -> Response:
    decide_booking = booking.approve_booking if form.decision == "approve" else booking.decline_booking
    decide_booking(db, booking_id=booking_id, principal=principal, note=form.note)
    db.commit()
    return RedirectResponse(f"/team/approvals?done={booking_id}", status_code=303)

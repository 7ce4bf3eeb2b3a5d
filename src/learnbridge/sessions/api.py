"""Sessions and bookings JSON API under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog.schemas import ItemRef
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden
from learnbridge.core.ids import Id
from learnbridge.sessions import attendance, booking, booking_views, service
from learnbridge.sessions.models import Booking, LearningSession, SessionKind
from learnbridge.sessions.schemas import (
    AttendanceIn,
    AttendanceOut,
    BookingIn,
    BookingOut,
    CancelIn,
    DecisionIn,
    SessionIn,
    SessionOut,
    SessionPage,
    SessionPatch,
)
from learnbridge.sessions.service import SessionRow

router = APIRouter(tags=["sessions"])
Admin = Annotated[Principal, require_role(Role.ld_admin)]


def session_out(row: SessionRow) -> SessionOut:
    s = row.session
    return SessionOut(
        id=s.id,
        item=ItemRef(id=s.item.id, title=s.item.title),
        title=s.display_title,
        kind=s.kind,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        timezone=s.timezone,
        location=s.location,
        meeting_url=s.meeting_url,
        instructor_id=s.instructor_id,
        instructor_name=s.instructor.name if s.instructor else s.instructor_name,
        capacity=s.capacity,
        seats_left=row.seats_left,
        booked_count=row.booked,
        waitlist_count=row.waitlisted,
        approval_mode=s.approval_mode,
        status=s.status,
        cancel_reason=s.cancel_reason,
        booking_deadline=s.booking_deadline,
        sequence=s.sequence,
    )


def _one(db: Db, session: LearningSession) -> SessionOut:
    return session_out(service.rows_for(db, [session])[0])


def booking_out(db: Db, b: Booking, *, with_session: bool = False) -> BookingOut:
    return BookingOut(
        id=b.id,
        session_id=b.session_id,
        person_id=b.person_id,
        status=b.status,
        origin=b.origin,
        queue_position=b.queue_position,
        waitlist_position=booking.waitlist_position(db, b),
        requested_at=b.requested_at,
        booked_at=b.booked_at,
        decision_note=b.decision_note,
        session=_one(db, b.session) if with_session else None,
    )


def _person(principal: Principal) -> int:
    if principal.person_id is None:
        raise Forbidden("This account has no person record, so it cannot book.")
    return principal.person_id


@router.get("/sessions")
def list_sessions(
    db: Db,
    _: CurrentPrincipal,
    upcoming: bool = True,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: SessionKind | None = None,
    item: Id | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SessionPage:
    when = "upcoming" if upcoming else "all"
    found = service.list_sessions(
        db, when=when, text=q, kind=kind or "", item_id=item, cursor=cursor, limit=limit
    )
    return SessionPage(items=[session_out(r) for r in found.rows], next=found.next)


@router.get("/sessions/{session_id}")
def get_session(session_id: Id, db: Db, _: CurrentPrincipal) -> SessionOut:
    return _one(db, service.get_session(db, session_id))


@router.post("/sessions", status_code=201)
def create_session(body: SessionIn, db: Db, _: Admin) -> SessionOut:
    session = service.create_session(db, data=body)
    db.commit()
    return _one(db, session)


@router.patch("/sessions/{session_id}")
def update_session(session_id: Id, body: SessionPatch, db: WriteDb, _: Admin) -> SessionOut:
    session = service.update_session(db, session_id=session_id, patch=body)
    db.commit()
    return _one(db, session)


@router.post("/sessions/{session_id}/cancel")
def cancel_session(session_id: Id, body: CancelIn, db: WriteDb, _: Admin) -> SessionOut:
    session = service.cancel_session(db, session_id=session_id, reason=body.reason)
    db.commit()
    return _one(db, session)


@router.post("/sessions/{session_id}/bookings", status_code=201)
def book_seat(
    session_id: Id, db: WriteDb, principal: CurrentPrincipal, body: BookingIn | None = None
) -> BookingOut:
    origin, person_id = (body or BookingIn()).origin, _person(principal)
    made = booking.book_seat(db, session_id=session_id, person_id=person_id, origin=origin)
    db.commit()
    return booking_out(db, made)


@router.delete("/sessions/{session_id}/bookings/me")
def cancel_my_booking(session_id: Id, db: WriteDb, principal: CurrentPrincipal) -> BookingOut:
    person_id = _person(principal)
    cancelled = booking.cancel_booking(db, session_id=session_id, person_id=person_id)
    db.commit()
    return booking_out(db, cancelled)


@router.get("/sessions/{session_id}/bookings")
def list_session_bookings(session_id: Id, db: Db, _: Admin) -> list[BookingOut]:
    service.get_session(db, session_id)
    return [booking_out(db, b) for b in booking_views.roster(db, session_id=session_id)]


@router.get("/me/bookings")
def list_my_bookings(db: Db, principal: CurrentPrincipal) -> list[BookingOut]:
    upcoming, past = booking_views.my_bookings(db, person_id=_person(principal))
    return [booking_out(db, v.booking, with_session=True) for v in upcoming + past]


@router.get("/me/approvals")
def list_my_approvals(db: Db, principal: CurrentPrincipal) -> list[BookingOut]:
    found = booking_views.pending_approvals(db, principal=principal)
    return [booking_out(db, b, with_session=True) for b in found]


@router.post("/bookings/{booking_id}/approve")
def approve_booking(
    booking_id: Id, db: WriteDb, principal: CurrentPrincipal, body: DecisionIn | None = None
) -> BookingOut:
    note = (body or DecisionIn()).note
    decided = booking.approve_booking(db, booking_id=booking_id, principal=principal, note=note)
    db.commit()
    return booking_out(db, decided)


@router.post("/bookings/{booking_id}/decline")
def decline_booking(
    booking_id: Id, db: WriteDb, principal: CurrentPrincipal, body: DecisionIn | None = None
) -> BookingOut:
    note = (body or DecisionIn()).note
    decided = booking.decline_booking(db, booking_id=booking_id, principal=principal, note=note)
    db.commit()
    return booking_out(db, decided)


@router.post("/sessions/{session_id}/attendance")
def mark_attendance(
    session_id: Id, body: AttendanceIn, db: WriteDb, principal: CurrentPrincipal
) -> AttendanceOut:
    result = attendance.mark_attendance(
        db, session_id=session_id, attended=body.attended, no_show=body.no_show, principal=principal
    )
    db.commit()
    return AttendanceOut(**vars(result))

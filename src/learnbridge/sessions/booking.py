"""Booking a seat, the FIFO waitlist and its automatic promotion, manager approval.

Every change to who holds a seat runs while holding the session's lock (`lock_session`), so seats are
never over-booked and queue positions are handed out in the order requests got the lock.

Rules chosen where the issue left a choice:
- Promotion happens only while the session is still bookable: before it starts and not past its booking
  deadline. After the deadline the list of attendees is settled; a late seat is not worth a surprise.
- A booking that needs approval holds no seat and no place in the queue. Once approved it is booked if a
  seat is free and nobody waits, otherwise it joins the END of the waitlist (approval is a new request
  for a seat; it does not overtake people who were waiting while it was pending).
- A person without a manager is approved by an L&D admin (admins may approve any request)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, Role, manages
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, Forbidden, Invalid, NotFound
from learnbridge.records.models import Origin
from learnbridge.records.platform_events import emit
from learnbridge.sessions import notices, platform_events
from learnbridge.sessions.models import (
    ACTIVE_STATUSES,
    ApprovalMode,
    Booking,
    BookingStatus,
    LearningSession,
    SessionStatus,
)


def lock_session(db: Session, session_id: int) -> LearningSession:
    """Take the session's lock for the rest of the transaction. PostgreSQL: the row, FOR UPDATE.
    SQLite: an UPDATE that changes nothing takes the database's write lock; issued as the
    transaction's first statement it waits (busy_timeout) instead of failing on a stale snapshot;
    routes, which have read (authentication) before, take WriteDb (accounts.deps) for their session."""
    if db.get_bind().dialect.name == "sqlite":
        db.execute(
            update(LearningSession)
            .where(LearningSession.id == session_id)
            .values(sequence=LearningSession.sequence)
            .execution_options(synchronize_session=False)
        )
        stmt = select(LearningSession).where(LearningSession.id == session_id)
    else:
        stmt = select(LearningSession).where(LearningSession.id == session_id).with_for_update()
    session = db.scalars(stmt.execution_options(populate_existing=True)).one_or_none()
    if session is None:
        raise NotFound(f"No session {session_id}.")
    return session


def booked_count(db: Session, session_id: int) -> int:
    stmt = select(func.count()).where(
        Booking.session_id == session_id, Booking.status == BookingStatus.booked.value
    )
    return db.scalar(stmt) or 0


def waitlist_position(db: Session, booking: Booking) -> int | None:
    """1 for the first in the queue; None when the booking is not waitlisted."""
    if booking.status != BookingStatus.waitlisted:
        return None
    stmt = select(func.count()).where(
        Booking.session_id == booking.session_id,
        Booking.status == BookingStatus.waitlisted.value,
        Booking.queue_position <= booking.queue_position,
    )
    return db.scalar(stmt) or 0


def _next_position(db: Session, session_id: int) -> int:
    last = db.scalar(select(func.max(Booking.queue_position)).where(Booking.session_id == session_id))
    return (last or 0) + 1


def _waiting(db: Session, session_id: int) -> bool:
    stmt = select(Booking.id).where(
        Booking.session_id == session_id, Booking.status == BookingStatus.waitlisted.value
    )
    return db.scalar(stmt.limit(1)) is not None


def _overlapping(db: Session, session: LearningSession, person_id: int) -> LearningSession | None:
    stmt = (
        select(LearningSession)
        .join(Booking, Booking.session_id == LearningSession.id)
        .where(
            Booking.person_id == person_id,
            Booking.status.in_(ACTIVE_STATUSES),
            LearningSession.id != session.id,
            LearningSession.status == SessionStatus.scheduled.value,
            LearningSession.starts_at < session.ends_at,
            LearningSession.ends_at > session.starts_at,
        )
    )
    return db.scalars(stmt.order_by(LearningSession.starts_at).limit(1)).first()


def _local(session: LearningSession) -> str:
    return f"{session.starts_at.astimezone(ZoneInfo(session.timezone)):%Y-%m-%d %H:%M} {session.timezone}"


def _refuse_booking(
    db: Session, session: LearningSession, person_id: int, existing: Booking | None, now: dt.datetime
) -> None:
    if (reason := session.booking_refusal(now)) is not None:
        raise Conflict(reason)
    if existing is not None and existing.status not in (BookingStatus.cancelled, BookingStatus.declined):
        state = existing.status.replace("_", " ")
        raise Conflict(f"You already have this session ({state}).")
    if (other := _overlapping(db, session, person_id)) is not None:
        raise Conflict(f"This overlaps {other.display_title} on {_local(other)}, which you already have.")


def book_seat(
    db: Session,
    *,
    session_id: int,
    person_id: int,
    origin: Origin = Origin.self,
    now: dt.datetime | None = None,
) -> Booking:
    """Booked while a seat is free and nobody waits; else the end of the waitlist; pending (no seat)
    when the session needs a manager's approval. Refused when closed, already held or overlapping."""
    now = now or utcnow()
    session = lock_session(db, session_id)
    booking = db.scalar(
        select(Booking).where(Booking.session_id == session_id, Booking.person_id == person_id)
    )
    _refuse_booking(db, session, person_id, booking, now)
    if booking is None:
        booking = Booking(session_id=session_id, person_id=person_id, sequence=0)
    else:
        booking.sequence += 1  # a new request replaces the cancelled one in the person's calendar
    booking.origin = Origin(origin).value
    booking.requested_at = now
    booking.decided_at, booking.decided_by_id, booking.decision_note = None, None, ""
    booking.cancelled_at, booking.cancel_reason, booking.booked_at, booking.promoted = None, "", None, False
    if session.approval_mode == ApprovalMode.manager:
        booking.status = BookingStatus.pending_approval.value
        booking.queue_position = _next_position(db, session_id)
        db.add(booking)
        db.flush()
        notices.pending(db, booking)
        return booking
    return _seat_or_queue(db, session, booking, now)


def _seat_or_queue(
    db: Session, session: LearningSession, booking: Booking, now: dt.datetime, *, approved: bool = False
) -> Booking:
    free = session.seats_left(booked_count(db, session.id)) > 0 and not _waiting(db, session.id)
    booking.queue_position = _next_position(db, session.id)
    booking.status = BookingStatus.booked.value if free else BookingStatus.waitlisted.value
    booking.booked_at = now if free else None
    db.add(booking)
    db.flush()
    if free:
        notices.booked(db, booking, approved=approved)
        emit(db, platform_events.registered(session, [booking]))
    else:
        notices.waitlisted(db, booking, waitlist_position(db, booking) or 0, approved=approved)
    return booking


def promote_waitlist(db: Session, session: LearningSession, *, now: dt.datetime) -> list[Booking]:
    """Fill free seats from the head of the queue, strictly in queue order; nobody once the session
    has started, passed its deadline or was cancelled. The caller holds the session's lock."""
    if not session.is_open_for_booking(now):
        return []
    free = session.seats_left(booked_count(db, session.id))
    if free <= 0:
        return []
    stmt = (
        select(Booking)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.waitlisted.value)
        .order_by(Booking.queue_position)
        .limit(free)
    )
    promoted = list(db.scalars(stmt))
    for booking in promoted:
        booking.status, booking.booked_at, booking.promoted = BookingStatus.booked.value, now, True
        booking.sequence += 1
    db.flush()
    for booking in promoted:
        notices.booked(db, booking, promoted=True)
    emit(db, platform_events.registered(session, promoted))
    return promoted


def cancel_booking(
    db: Session, *, session_id: int, person_id: int, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    """A person gives up their seat, place in the queue or request; a freed seat goes to the next in
    the queue (if the session is still open)."""
    now = now or utcnow()
    session = lock_session(db, session_id)
    booking = db.scalar(
        select(Booking).where(Booking.session_id == session_id, Booking.person_id == person_id)
    )
    if booking is None or not booking.is_active:
        raise Conflict("You have no booking on this session to cancel.")
    if now >= session.starts_at:
        raise Conflict("This session has already started: it can no longer be cancelled.")
    had_seat = booking.status == BookingStatus.booked
    booking.status, booking.cancelled_at, booking.cancel_reason = BookingStatus.cancelled.value, now, reason
    booking.sequence += 1
    db.flush()
    if had_seat:
        notices.cancelled(db, booking, reason=reason, by_session=False, had_seat=True)
        promote_waitlist(db, session, now=now)
    return booking


def _pending_for(db: Session, booking_id: int, principal: Principal) -> tuple[LearningSession, Booking]:
    session_id = db.scalar(select(Booking.session_id).where(Booking.id == booking_id))
    if session_id is None:
        raise NotFound(f"No booking {booking_id}.")
    session = lock_session(db, session_id)
    booking = db.get(Booking, booking_id)
    assert booking is not None
    if not can_approve(db, principal, booking):
        raise Forbidden("Only the person's manager (or an L&D admin) decides on this booking.")
    if booking.status != BookingStatus.pending_approval:
        raise Conflict(f"This booking is {booking.status.replace('_', ' ')}, not waiting for approval.")
    return session, booking


def can_approve(db: Session, principal: Principal, booking: Booking) -> bool:
    """Nobody decides on their own request. L&D admins decide on anyone else's; a manager on those of
    people below them."""
    if booking.person_id == principal.person_id:
        return False
    if principal.has(Role.ld_admin):
        return True
    return principal.person_id is not None and manages(
        db, manager_id=principal.person_id, person_id=booking.person_id
    )


def approve_booking(
    db: Session, *, booking_id: int, principal: Principal, note: str = "", now: dt.datetime | None = None
) -> Booking:
    """The manager says yes: booked if a seat is free and nobody waits, else the end of the waitlist.
    The note is kept with the decision; the learner reads it in the message and on My bookings."""
    if len(note) > 2000:
        raise Invalid(field="note", message="must be at most 2000 characters")
    now = now or utcnow()
    session, booking = _pending_for(db, booking_id, principal)
    if (reason := session.booking_refusal(now)) is not None:
        raise Conflict(reason)
    booking.decided_at, booking.decided_by_id, booking.decision_note = now, principal.account.id, note.strip()
    return _seat_or_queue(db, session, booking, now, approved=True)


def decline_booking(
    db: Session, *, booking_id: int, principal: Principal, note: str = "", now: dt.datetime | None = None
) -> Booking:
    """The manager says no, with an optional note the learner reads."""
    if len(note) > 2000:
        raise Invalid(field="note", message="must be at most 2000 characters")
    _, booking = _pending_for(db, booking_id, principal)
    booking.status = BookingStatus.declined.value
    booking.decided_at, booking.decided_by_id, booking.decision_note = (
        now or utcnow(),
        principal.account.id,
        note.strip(),
    )
    db.flush()
    notices.declined(db, booking)
    return booking

"""Read-only views over bookings: a person's own, a manager's approval queue, a session's roster.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from learnbridge.accounts.models import Account
from learnbridge.accounts.policy import Principal, Role, reports_subtree
from learnbridge.core.db import utcnow
from learnbridge.people.models import Person
from learnbridge.sessions.booking import waitlist_position
from learnbridge.sessions.models import Booking, BookingStatus, LearningSession


@dataclass(frozen=True)
class BookingView:
    booking: Booking
    position: int | None

    @property
    def session(self) -> LearningSession:
        return self.booking.session


def _views(db: Session, found: list[Booking]) -> list[BookingView]:
    return [BookingView(b, waitlist_position(db, b)) for b in found]


def my_booking(db: Session, *, session_id: int, person_id: int) -> BookingView | None:
    booking = db.scalar(
        select(Booking).where(Booking.session_id == session_id, Booking.person_id == person_id)
    )
    return None if booking is None else BookingView(booking, waitlist_position(db, booking))


def my_bookings(
    db: Session, *, person_id: int, now: dt.datetime | None = None, limit: int = 200
) -> tuple[list[BookingView], list[BookingView]]:
    """The person's bookings that have not yet ended (soonest first) and those that have (latest first)."""
    now = now or utcnow()
    base = (
        select(Booking)
        .join(Booking.session)
        .where(Booking.person_id == person_id)
        .options(
            joinedload(Booking.session).joinedload(LearningSession.item),
            selectinload(Booking.decided_by).joinedload(Account.person),
        )
    )
    upcoming = db.scalars(
        base.where(LearningSession.ends_at > now).order_by(LearningSession.starts_at).limit(limit)
    )
    past = db.scalars(
        base.where(LearningSession.ends_at <= now).order_by(LearningSession.starts_at.desc()).limit(limit)
    )
    return _views(db, list(upcoming)), _views(db, list(past))


def pending_approvals(db: Session, *, principal: Principal, limit: int = 500) -> list[Booking]:
    """Requests waiting for this approver: their reports' (whole chain); for an L&D admin also those
    of people who have no manager."""
    who = []
    if principal.person_id is not None:
        who.append(Booking.person_id.in_(reports_subtree(principal.person_id)))
    if principal.has(Role.ld_admin):
        who.append(Booking.person_id.in_(select(Person.id).where(Person.manager_id.is_(None))))
    if not who:
        return []
    stmt = (
        select(Booking)
        .join(Booking.session)
        .where(Booking.status == BookingStatus.pending_approval.value, or_(*who))
        .where(Booking.person_id != principal.person_id if principal.person_id is not None else true())
        .options(joinedload(Booking.person), joinedload(Booking.session).joinedload(LearningSession.item))
        .order_by(Booking.requested_at, Booking.id)
    )
    return list(db.scalars(stmt.limit(limit)))


def decided_by(db: Session, *, booking_id: int, principal: Principal) -> Booking | None:
    """A booking this approver decided on (for the page that confirms it), else None."""
    found = db.get(Booking, booking_id)
    return found if found is not None and found.decided_by_id == principal.account.id else None


def roster(db: Session, *, session_id: int) -> list[Booking]:
    """Everyone on a session in queue order: the booked, then the waitlist, pending, and the rest."""
    stmt = (
        select(Booking)
        .where(Booking.session_id == session_id)
        .options(joinedload(Booking.person))
        .order_by(Booking.queue_position)
    )
    return list(db.scalars(stmt))

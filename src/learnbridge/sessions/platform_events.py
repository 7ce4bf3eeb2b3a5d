"""Sessions' platform events (records.platform_events): a seat booked is `registered`, attendance is
`attended`, both on the session, with the catalogue item as parent and one registration per booking; a
no-show after an attendance withdraws (voids) the platform's `attended` statements of that booking. The
origin is the booking's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.records.models import Origin
from learnbridge.records.platform_events import (
    ActivityRef,
    Event,
    PlatformEvent,
    Withdrawal,
    registration_for,
)
from learnbridge.records.platform_iris import MEETING, session_path
from learnbridge.records.service import item_activity
from learnbridge.sessions.models import Booking, BookingStatus, LearningSession


def registration(booking_id: int) -> str:
    """The xAPI registration of a booking's statements."""
    return str(registration_for(f"booking:{booking_id}"))


def _session(session: LearningSession) -> ActivityRef:
    return ActivityRef(id=session_path(session.id), name=session.display_title, type=MEETING)


def _about_booking(
    session: LearningSession, booking: Booking, verb: str, *, key: str, at: dt.datetime
) -> Event:
    """`verb` on the session by the booking's person, in the booking's registration, for its origin."""
    return PlatformEvent(
        key=f"booking:{booking.id}:{verb}:{key}",
        person_id=booking.person_id,
        verb=verb,
        activity=_session(session),
        origin=Origin(booking.origin),
        timestamp=at,
        registration=registration_for(f"booking:{booking.id}"),
        parents=(item_activity(session.item),),
    )


def registered(session: LearningSession, bookings: list[Booking]) -> list[Event]:
    """These bookings now hold a seat. The booking's sequence goes up with every new request and
    promotion, so each time a seat is taken is its own event."""
    return [
        _about_booking(session, b, "registered", key=str(b.sequence), at=b.booked_at or b.requested_at)
        for b in bookings
    ]


def attendance(
    db: Session,
    session: LearningSession,
    *,
    attended: list[int],
    no_show: list[int],
    at: dt.datetime,
    now: dt.datetime,
) -> list[Event]:
    """Read before the statuses change: people newly marked attended (at `at`, when the session ended or
    now), and people marked no-show who were marked attended before."""
    people = set(attended) | set(no_show)
    stmt = select(Booking).where(Booking.session_id == session.id, Booking.person_id.in_(people))
    events: list[Event] = []
    for booking in db.scalars(stmt.order_by(Booking.id)):
        was_attended = booking.status == BookingStatus.attended
        marked = now.astimezone(dt.UTC).isoformat()
        if booking.person_id in attended and not was_attended:
            events.append(_about_booking(session, booking, "attended", key=marked, at=at))
        elif booking.person_id in no_show and was_attended:
            key, reg = f"booking:{booking.id}:no-show:{marked}", registration_for(f"booking:{booking.id}")
            events.append(Withdrawal(key=key, registration=reg, verb="attended", timestamp=now))
    return events

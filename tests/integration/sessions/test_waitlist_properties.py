"""Random sequences of book / cancel / approve / capacity change / time passing, on both backends:
never more booked than seats, the waitlist promoted strictly from its head, nobody promoted once the
session has started, and no free seat left idle while someone waits on an open session."""

from __future__ import annotations

import contextlib
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, principal_for
from learnbridge.core.errors import Conflict, Invalid
from learnbridge.sessions import booking as bookings
from learnbridge.sessions.models import Booking
from learnbridge.sessions.schemas import SessionPatch
from learnbridge.sessions.service import update_session
from tests.factories import make_account, make_person, make_session

PEOPLE = 5
# Steps name people by role where that makes the interesting transitions common: "cancel_seat" frees
# the n-th booked seat, "approve" decides the n-th pending request.
op = st.one_of(
    st.tuples(st.just("book"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("book"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("cancel_seat"), st.integers(0, 3)),
    st.tuples(st.just("cancel"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("approve"), st.integers(0, 3)),
    st.tuples(st.just("capacity"), st.integers(1, 4)),
)


def _state(db: Session, session_id: int) -> tuple[list[int], set[int]]:
    db.expire_all()
    rows = db.execute(
        select(Booking.person_id, Booking.status)
        .where(Booking.session_id == session_id)
        .order_by(Booking.queue_position)
    ).all()
    return [p for p, s in rows if s == "waitlisted"], {p for p, s in rows if s == "booked"}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    capacity=st.integers(1, 2),
    approval=st.booleans(),
    ops=st.lists(op, min_size=3, max_size=20),
    started_after=st.integers(0, 20),
)
def test_waitlist_rules_hold_for_any_sequence(
    db: Session, capacity: int, approval: bool, ops: list[tuple[str, int]], started_after: int
) -> None:
    savepoint = db.begin_nested()
    try:
        # The session starts (the clock moves past its start) after `started_after` steps.
        _run(db, capacity, approval, [*ops[:started_after], ("start", 0), *ops[started_after:]])
    finally:
        savepoint.rollback()


def _run(db: Session, capacity: int, approval: bool, ops: list[tuple[str, int]]) -> None:
    manager = make_person(db)
    approver = principal_for(db, make_account(db, manager))
    people = [make_person(db, manager_id=manager.id).id for _ in range(PEOPLE)]
    session = make_session(db, capacity=capacity, approval_mode="manager" if approval else "none")
    now = session.starts_at - dt.timedelta(days=3)
    for step, (name, given_arg) in enumerate(ops):
        # Hypothesis favours 0: offset people by the step so that a run of bookings is many people.
        arg = (given_arg + step) % PEOPLE if name in ("book", "cancel") else given_arg
        waiting, _ = _state(db, session.id)
        with contextlib.suppress(Conflict, Invalid):  # a refused step changes nothing
            now = _apply(db, session.id, name, arg, people, approver, now, session.starts_at)
        after_waiting, after_booked = _state(db, session.id)
        moved_up = [p for p in waiting if p in after_booked]
        assert moved_up == waiting[: len(moved_up)], "promotion skipped someone in the queue"
        if now >= session.starts_at:
            assert not moved_up, "promoted after the session started"
        still = [p for p in after_waiting if p in waiting]
        assert still == [p for p in waiting if p in still], "the queue was reordered"
        assert after_waiting[: len(still)] == still, "a newcomer jumped the queue"
        db.refresh(session)
        assert len(after_booked) <= session.capacity
        if now < session.starts_at and after_waiting:
            assert len(after_booked) == session.capacity, "a seat stayed free while people waited"


def _apply(
    db: Session,
    session_id: int,
    name: str,
    arg: int,
    people: list[int],
    approver: Principal,
    now: dt.datetime,
    starts: dt.datetime,
) -> dt.datetime:
    """Do one step at `now`; the "start" step moves the clock past the session's start."""
    if name == "book":
        bookings.book_seat(db, session_id=session_id, person_id=people[arg], now=now)
    elif name == "cancel":
        bookings.cancel_booking(db, session_id=session_id, person_id=people[arg], now=now)
    elif name == "cancel_seat":
        seated = _people_in(db, session_id, "booked")
        if seated:
            bookings.cancel_booking(db, session_id=session_id, person_id=seated[arg % len(seated)], now=now)
    elif name == "approve":
        pending = _people_in(db, session_id, "pending_approval")
        if pending:
            found = db.scalar(
                select(Booking.id).where(
                    Booking.session_id == session_id, Booking.person_id == pending[arg % len(pending)]
                )
            )
            assert found is not None
            bookings.approve_booking(db, booking_id=found, principal=approver, now=now)
    elif name == "capacity":
        update_session(db, session_id=session_id, patch=SessionPatch(capacity=arg), now=now)
    else:
        return starts + dt.timedelta(minutes=1)
    return now


def _people_in(db: Session, session_id: int, status: str) -> list[int]:
    stmt = select(Booking.person_id).where(Booking.session_id == session_id, Booking.status == status)
    return list(db.scalars(stmt.order_by(Booking.queue_position)))

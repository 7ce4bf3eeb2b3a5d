"""Booking rules on both backends: seats, the FIFO waitlist and its promotion, approval, overlaps."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import principal_for
from learnbridge.core.errors import Conflict, Forbidden
from learnbridge.notify.models import InboxMessage, OutboxMail
from learnbridge.records.models import Origin
from learnbridge.sessions import booking as bookings
from learnbridge.sessions.models import Booking, BookingStatus
from learnbridge.sessions.schemas import SessionPatch
from learnbridge.sessions.service import update_session
from tests.factories import make_account, make_person, make_session


def _mails(db: Session, person_id: int) -> list[OutboxMail]:
    stmt = select(OutboxMail).where(OutboxMail.to_person_id == person_id).order_by(OutboxMail.id)
    return list(db.scalars(stmt))


def test_books_until_full_then_waitlists_in_order(db: Session) -> None:
    session = make_session(db, capacity=2)
    people = [make_person(db) for _ in range(4)]
    made = [bookings.book_seat(db, session_id=session.id, person_id=p.id) for p in people]
    assert [b.status for b in made] == ["booked", "booked", "waitlisted", "waitlisted"]
    assert [bookings.waitlist_position(db, b) for b in made] == [None, None, 1, 2]
    assert made[2].queue_position < made[3].queue_position


def test_a_booking_mails_an_invite_with_tzid_and_vtimezone(db: Session) -> None:
    starts = dt.datetime(2030, 3, 5, 9, 0)  # wall-clock time in Berlin
    session = make_session(
        db, starts_at=starts, ends_at=starts + dt.timedelta(hours=3), timezone="Europe/Berlin"
    )
    assert session.starts_at == dt.datetime(2030, 3, 5, 8, 0, tzinfo=dt.UTC)
    person = make_person(db)
    bookings.book_seat(db, session_id=session.id, person_id=person.id, origin=Origin.recommendation)
    (mail,) = _mails(db, person.id)
    assert mail.attachment_type.startswith("text/calendar; method=REQUEST")
    calendar = Calendar.from_ical(mail.attachment)
    assert calendar["method"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == session.calendar_uid
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("dtstart").replace(tzinfo=None) == starts
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["attendee"]) == f"mailto:{person.email}"


def test_cancelling_a_seat_promotes_the_head_of_the_queue_and_sends_cancel(db: Session) -> None:
    session = make_session(db, capacity=1)
    first, second, third = (make_person(db) for _ in range(3))
    for p in (first, second, third):
        bookings.book_seat(db, session_id=session.id, person_id=p.id)
    bookings.cancel_booking(db, session_id=session.id, person_id=first.id)
    statuses = {b.person_id: b.status for b in session_bookings(db, session.id)}
    assert statuses == {first.id: "cancelled", second.id: "booked", third.id: "waitlisted"}
    request, cancel = (Calendar.from_ical(m.attachment) for m in _mails(db, first.id))
    assert cancel["method"] == "CANCEL"
    (r,), (c,) = request.walk("VEVENT"), cancel.walk("VEVENT")
    assert r["uid"] == c["uid"] and int(str(c["sequence"])) > int(str(r["sequence"]))
    # Uninviting one attendee: no STATUS (that would cancel the whole event), their ATTENDEE declined.
    assert "status" not in c and c["attendee"].params["PARTSTAT"] == "DECLINED"
    promoted = _mails(db, second.id)[-1]
    assert "waitlist" in promoted.body and Calendar.from_ical(promoted.attachment)["method"] == "REQUEST"


def session_bookings(db: Session, session_id: int) -> list[Booking]:
    return list(db.scalars(select(Booking).where(Booking.session_id == session_id)))


def test_no_promotion_once_the_session_has_started_or_its_deadline_passed(db: Session) -> None:
    session = make_session(db, capacity=1, booking_deadline=None)
    a, b = make_person(db), make_person(db)
    bookings.book_seat(db, session_id=session.id, person_id=a.id)
    bookings.book_seat(db, session_id=session.id, person_id=b.id)
    with pytest.raises(Conflict, match="started"):
        bookings.cancel_booking(db, session_id=session.id, person_id=a.id, now=session.starts_at)
    session.booking_deadline = session.starts_at - dt.timedelta(days=1)
    late = session.booking_deadline + dt.timedelta(hours=1)
    bookings.cancel_booking(db, session_id=session.id, person_id=a.id, now=late)
    statuses = {x.person_id: x.status for x in session_bookings(db, session.id)}
    assert statuses[b.id] == "waitlisted"


def test_capacity_increase_promotes_in_queue_order(db: Session) -> None:
    session = make_session(db, capacity=1)
    people = [make_person(db) for _ in range(4)]
    for p in people:
        bookings.book_seat(db, session_id=session.id, person_id=p.id)
    update_session(db, session_id=session.id, patch=SessionPatch(capacity=3))
    statuses = [x.status for x in sorted(session_bookings(db, session.id), key=lambda x: x.queue_position)]
    assert statuses == ["booked", "booked", "booked", "waitlisted"]


def test_refusals_name_the_reason(db: Session) -> None:
    session = make_session(db, capacity=5)
    person = make_person(db)
    bookings.book_seat(db, session_id=session.id, person_id=person.id)
    with pytest.raises(Conflict, match="already have this session"):
        bookings.book_seat(db, session_id=session.id, person_id=person.id)
    clash = make_session(db, starts_at=session.starts_at + dt.timedelta(hours=1), title="Clashing one")
    with pytest.raises(Conflict, match=f"overlaps {session.item.title}"):
        bookings.book_seat(db, session_id=clash.id, person_id=person.id)
    closed = make_session(db, starts_at=session.starts_at + dt.timedelta(days=2))
    closed.booking_deadline = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with pytest.raises(Conflict, match="deadline passed"):
        bookings.book_seat(db, session_id=closed.id, person_id=person.id)
    with pytest.raises(Conflict, match="already started"):
        bookings.book_seat(db, session_id=clash.id, person_id=make_person(db).id, now=clash.starts_at)


def test_cancelled_then_rebooked_gets_a_new_place_at_the_end(db: Session) -> None:
    session = make_session(db, capacity=1)
    a, b, c = (make_person(db) for _ in range(3))
    for p in (a, b, c):
        bookings.book_seat(db, session_id=session.id, person_id=p.id)
    bookings.cancel_booking(db, session_id=session.id, person_id=b.id)
    again = bookings.book_seat(db, session_id=session.id, person_id=b.id)
    assert again.status == "waitlisted" and bookings.waitlist_position(db, again) == 2


def test_approval_holds_no_seat_until_approved_then_joins_the_end(db: Session) -> None:
    manager = make_person(db)
    manager_account = make_account(db, manager)
    learner = make_person(db, manager_id=manager.id)
    session = make_session(db, capacity=1, approval_mode="manager")
    pending = bookings.book_seat(db, session_id=session.id, person_id=learner.id)
    assert pending.status == BookingStatus.pending_approval
    assert bookings.booked_count(db, session.id) == 0
    asked = db.scalars(select(InboxMessage).where(InboxMessage.person_id == manager.id)).all()
    assert [m.link for m in asked] == ["/team/approvals"]
    other = make_person(db, manager_id=manager.id)
    other_booking = bookings.book_seat(db, session_id=session.id, person_id=other.id)
    principal = principal_for(db, manager_account)
    bookings.approve_booking(db, booking_id=other_booking.id, principal=principal)
    approved = bookings.approve_booking(db, booking_id=pending.id, principal=principal, note="Go")
    assert (other_booking.status, approved.status) == ("booked", "waitlisted")


def test_only_the_manager_chain_or_an_admin_decides(db: Session) -> None:
    manager, stranger = make_person(db), make_person(db)
    learner = make_person(db, manager_id=manager.id)
    session = make_session(db, approval_mode="manager")
    pending = bookings.book_seat(db, session_id=session.id, person_id=learner.id)
    with pytest.raises(Forbidden):
        bookings.approve_booking(
            db, booking_id=pending.id, principal=principal_for(db, make_account(db, stranger))
        )
    admin = principal_for(db, make_account(db, ld_admin=True))
    declined = bookings.decline_booking(db, booking_id=pending.id, principal=admin, note="Not now")
    assert declined.status == "declined"
    note = db.scalars(select(InboxMessage).where(InboxMessage.person_id == learner.id)).all()[-1]
    assert "Not now" in note.body


def test_without_a_manager_l_and_d_admins_are_asked(db: Session) -> None:
    admin_person = make_person(db)
    make_account(db, admin_person, ld_admin=True)
    loner = make_person(db)
    session = make_session(db, approval_mode="manager")
    bookings.book_seat(db, session_id=session.id, person_id=loner.id)
    asked = db.scalars(select(InboxMessage).where(InboxMessage.person_id == admin_person.id)).all()
    assert [m.link for m in asked] == ["/team/approvals"]

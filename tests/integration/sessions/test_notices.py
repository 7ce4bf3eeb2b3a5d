"""People are told: a booking approved or declined, with the approver's note (in the inbox, by mail and
on My bookings); a session they hold changing or being cancelled, old -> new."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, principal_for
from learnbridge.notify.models import InboxMessage, OutboxMail
from learnbridge.sessions import booking as bookings
from learnbridge.sessions.schemas import SessionPatch
from learnbridge.sessions.service import cancel_session, change_session
from tests.factories import csrf_from, login, make_account, make_person, make_session


def _inbox(db: Session, person_id: int) -> list[InboxMessage]:
    stmt = select(InboxMessage).where(InboxMessage.person_id == person_id).order_by(InboxMessage.id)
    return list(db.scalars(stmt))


def _mails(db: Session, person_id: int) -> list[OutboxMail]:
    stmt = select(OutboxMail).where(OutboxMail.to_person_id == person_id).order_by(OutboxMail.id)
    return list(db.scalars(stmt))


def _manager_and_report(db: Session) -> tuple[Principal, int]:
    manager = make_person(db, name="Maria Jensen")
    principal = principal_for(db, make_account(db, manager))
    learner = make_person(db, manager_id=manager.id, name="Ada Report")
    return principal, learner.id


def test_an_approval_tells_the_learner_with_the_approvers_note(db: Session) -> None:
    principal, learner_id = _manager_and_report(db)
    session = make_session(db, approval_mode="manager", title="Coaching basics")
    pending = bookings.book_seat(db, session_id=session.id, person_id=learner_id)
    bookings.approve_booking(
        db, booking_id=pending.id, principal=principal, note="Bring last quarter's numbers"
    )
    [mail] = _mails(db, learner_id)
    assert mail.subject == "Approved and booked: Coaching basics"
    assert mail.body.startswith("Approved by Maria Jensen: Bring last quarter's numbers")
    assert "You are booked on Coaching basics" in mail.body and mail.attachment_type.startswith("text/cal")
    assert _inbox(db, learner_id)[-1].body == mail.body


def test_an_approval_onto_the_waitlist_is_mailed_too(db: Session) -> None:
    principal, learner_id = _manager_and_report(db)
    session = make_session(db, approval_mode="manager", capacity=1, title="Full house")
    pending = bookings.book_seat(db, session_id=session.id, person_id=learner_id)
    other = make_person(db, manager_id=pending.person.manager_id)
    bookings.approve_booking(
        db,
        booking_id=bookings.book_seat(db, session_id=session.id, person_id=other.id).id,
        principal=principal,
    )
    bookings.approve_booking(db, booking_id=pending.id, principal=principal, note="Worth the wait")
    [mail] = _mails(db, learner_id)
    assert mail.subject == "Approved, on the waitlist: Full house"
    assert "Approved by Maria Jensen: Worth the wait" in mail.body and "number 1 on the waitlist" in mail.body


def test_a_decline_is_mailed_with_the_note(db: Session) -> None:
    principal, learner_id = _manager_and_report(db)
    session = make_session(db, approval_mode="manager", title="Offsite")
    pending = bookings.book_seat(db, session_id=session.id, person_id=learner_id)
    bookings.decline_booking(db, booking_id=pending.id, principal=principal, note="  Not this quarter  ")
    [mail] = _mails(db, learner_id)
    assert mail.subject == "Not approved: Offsite" and "was declined" in mail.body
    assert mail.body.endswith("Declined by Maria Jensen: Not this quarter")
    assert _inbox(db, learner_id)[-1].subject == "Not approved: Offsite"


def test_my_bookings_shows_the_decision_and_note(client: TestClient, db: Session) -> None:
    principal, learner_id = _manager_and_report(db)
    approved = make_session(db, approval_mode="manager", title="Approved one")
    declined = make_session(
        db,
        approval_mode="manager",
        title="Declined one",
        starts_at=approved.starts_at + dt.timedelta(days=1),
    )
    first = bookings.book_seat(db, session_id=approved.id, person_id=learner_id)
    second = bookings.book_seat(db, session_id=declined.id, person_id=learner_id)
    bookings.approve_booking(db, booking_id=first.id, principal=principal, note="Enjoy <it>")
    bookings.decline_booking(db, booking_id=second.id, principal=principal, note="Budget is spent")
    learner = first.person
    make_account(db, learner)
    assert learner.email
    login(client, learner.email)
    page = client.get("/bookings").text
    assert "Approved by Maria Jensen: Enjoy &lt;it&gt;" in page
    assert "Declined by Maria Jensen: Budget is spent" in page


def test_a_change_tells_the_booked_the_waitlisted_and_the_pending_old_to_new(db: Session) -> None:
    starts = dt.datetime(2030, 3, 5, 9, 0, tzinfo=dt.UTC)
    session = make_session(db, capacity=1, starts_at=starts, title="Forklift", location="Room 1")
    seated, waiting = make_person(db), make_person(db)
    bookings.book_seat(db, session_id=session.id, person_id=seated.id)
    bookings.book_seat(db, session_id=session.id, person_id=waiting.id)
    later = starts + dt.timedelta(days=1, hours=2)
    patch = SessionPatch(starts_at=later, ends_at=later + dt.timedelta(hours=2), location="Yard B")
    change = change_session(db, session_id=session.id, patch=patch, now=starts - dt.timedelta(days=30))
    assert change.told == 2
    assert change.changes == [
        "When: Tue 05 Mar 2030 09:00 (UTC) to 11:00 → Wed 06 Mar 2030 11:00 (UTC) to 13:00",
        "Where: Room 1 → Yard B",
    ]
    for person, ics in ((seated, True), (waiting, False)):
        mail = _mails(db, person.id)[-1]
        assert mail.subject == "Changed: Forklift"
        assert "- When: Tue 05 Mar 2030 09:00 (UTC) to 11:00 → Wed 06 Mar 2030 11:00 (UTC)" in mail.body
        assert "- Where: Room 1 → Yard B" in mail.body
        assert bool(mail.attachment_type) is ics
        assert _inbox(db, person.id)[-1].body == mail.body
    assert "waitlist" in _mails(db, waiting.id)[-1].body


def test_a_change_nobody_sees_tells_nobody(db: Session) -> None:
    session = make_session(db)
    person = make_person(db)
    bookings.book_seat(db, session_id=session.id, person_id=person.id)
    change = change_session(db, session_id=session.id, patch=SessionPatch(instructor_name="Sam"))
    assert (change.told, change.changes) == (0, [])
    assert [m.subject for m in _mails(db, person.id)] == [f"Booked: {session.display_title}"]


def test_a_cancellation_tells_everyone_booked_or_waiting_why(db: Session) -> None:
    session = make_session(db, capacity=1, title="Team day")
    seated, waiting = make_person(db), make_person(db)
    for person in (seated, waiting):
        bookings.book_seat(db, session_id=session.id, person_id=person.id)
    cancel_session(db, session_id=session.id, reason="The trainer is ill")
    for person in (seated, waiting):
        mail = _mails(db, person.id)[-1]
        assert mail.subject == "Cancelled: Team day" and "Reason: The trainer is ill" in mail.body
        assert _inbox(db, person.id)[-1].subject == "Cancelled: Team day"


def test_the_admin_sees_how_many_were_told(client: TestClient, db: Session) -> None:
    session = make_session(db, title="Negotiation", location="Room 1")
    for _ in range(2):
        bookings.book_seat(db, session_id=session.id, person_id=make_person(db).id)
    login(client, make_account(db, ld_admin=True).email)
    form_page = client.get(f"/admin/sessions/{session.id}/edit").text
    local = session.starts_at.strftime("%Y-%m-%dT%H:%M")
    ends = session.ends_at.strftime("%Y-%m-%dT%H:%M")
    form = {
        "csrf_token": csrf_from(form_page),
        "item_id": str(session.item_id),
        "kind": "classroom",
        "title": "Negotiation",
        "starts_at": local,
        "ends_at": ends,
        "timezone": "UTC",
        "location": "Room 2",
        "capacity": "10",
        "approval_mode": "none",
    }
    saved = client.post(f"/admin/sessions/{session.id}/edit", data=form)
    assert saved.status_code == 200
    assert "Saved. 2 people booked, waitlisted or waiting for approval were told what changed" in saved.text
    again = client.post(f"/admin/sessions/{session.id}/edit", data=form)
    assert "Nobody needed telling." in again.text
    assert client.get(f"/admin/sessions/{session.id}?told=x").status_code == 422

"""The sessions API: shapes other tools rely on, 4xx answers that name the problem, who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.notify.models import InboxMessage, OutboxMail
from learnbridge.push.models import Assignment, AuditEvent
from learnbridge.records.models import Completion
from learnbridge.sessions.models import Booking
from tests.factories import bearer, make_account, make_item, make_person, make_requirement, make_session


def _learner(db: Session, **overrides: object) -> tuple[int, dict[str, str]]:
    person = make_person(db, **overrides)
    return person.id, bearer(db, make_account(db, person))


def test_admin_creates_a_session_from_local_time_and_lists_it(client: TestClient, db: Session) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    item = make_item(db)
    body = {
        "item_id": item.id,
        "kind": "virtual",
        "starts_at": "2031-06-10T14:00:00",
        "ends_at": "2031-06-10T16:00:00",
        "timezone": "America/New_York",
        "meeting_url": "https://meet.example.org/abc",
        "capacity": 2,
        "approval_mode": "none",
    }
    created = client.post("/api/v1/sessions", json=body, headers=admin)
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["starts_at"].startswith("2031-06-10T18:00:00")  # EDT is UTC-4
    assert (data["capacity"], data["seats_left"], data["waitlist_count"]) == (2, 2, 0)
    assert data["item"] == {"id": item.id, "title": item.title}
    _, learner = _learner(db)
    listed = client.get("/api/v1/sessions?upcoming=true", headers=learner).json()
    assert data["id"] in [s["id"] for s in listed["items"]]
    assert set(listed) == {"items", "next"}


def test_invalid_session_names_each_field(client: TestClient, db: Session) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    body = {
        "item_id": make_item(db).id,
        "starts_at": "2031-06-10T14:00:00",
        "ends_at": "2031-06-10T13:00:00",
        "timezone": "Mars/Olympus",
        "capacity": 3,
    }
    response = client.post("/api/v1/sessions", json=body, headers=admin)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"timezone", "location"} <= fields
    body.update(timezone="UTC", location="Room 2")
    response = client.post("/api/v1/sessions", json=body, headers=admin)
    assert [e["field"] for e in response.json()["errors"]] == ["ends_at"]


def test_learner_cannot_create_sessions(client: TestClient, db: Session) -> None:
    _, learner = _learner(db)
    body = {
        "item_id": make_item(db).id,
        "starts_at": "2031-01-01T10:00",
        "ends_at": "2031-01-01T11:00",
        "location": "x",
        "capacity": 1,
    }
    assert client.post("/api/v1/sessions", json=body, headers=learner).status_code == 403


def test_book_waitlist_and_cancel_through_the_api(client: TestClient, db: Session) -> None:
    session = make_session(db, capacity=1)
    _, first = _learner(db)
    _, second = _learner(db)
    booked = client.post(
        f"/api/v1/sessions/{session.id}/bookings", json={"origin": "recommendation"}, headers=first
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["status"] == "booked" and booked.json()["origin"] == "recommendation"
    waiting = client.post(f"/api/v1/sessions/{session.id}/bookings", headers=second)
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waitlisted" and waiting.json()["waitlist_position"] == 1
    again = client.post(f"/api/v1/sessions/{session.id}/bookings", headers=second)
    assert again.status_code == 409 and "already have this session" in again.json()["detail"]
    bad = client.post(f"/api/v1/sessions/{session.id}/bookings", json={"origin": "whim"}, headers=second)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "origin"
    assert (
        client.delete(f"/api/v1/sessions/{session.id}/bookings/me", headers=first).json()["status"]
        == "cancelled"
    )
    mine = client.get("/api/v1/me/bookings", headers=second).json()
    assert [(b["session_id"], b["status"]) for b in mine] == [(session.id, "booked")]
    shown = client.get(f"/api/v1/sessions/{session.id}", headers=second).json()
    assert (shown["seats_left"], shown["waitlist_count"]) == (0, 0)


def test_overlap_is_a_409_naming_the_other_session(client: TestClient, db: Session) -> None:
    first = make_session(db, title="Morning first aid")
    second = make_session(db, starts_at=first.starts_at + dt.timedelta(minutes=30))
    _, learner = _learner(db)
    client.post(f"/api/v1/sessions/{first.id}/bookings", headers=learner)
    response = client.post(f"/api/v1/sessions/{second.id}/bookings", headers=learner)
    assert response.status_code == 409 and "Morning first aid" in response.json()["detail"]


def test_manager_approves_only_their_reports(client: TestClient, db: Session) -> None:
    manager = make_person(db)
    manager_auth = bearer(db, make_account(db, manager))
    _, report = _learner(db, manager_id=manager.id)
    other_manager = make_person(db)
    other_auth = bearer(db, make_account(db, other_manager))
    make_person(db, manager_id=other_manager.id)
    session = make_session(db, approval_mode="manager")
    pending = client.post(f"/api/v1/sessions/{session.id}/bookings", headers=report).json()
    assert pending["status"] == "pending_approval"
    assert client.get(f"/api/v1/sessions/{session.id}", headers=report).json()["seats_left"] == 10
    assert client.get("/api/v1/me/approvals", headers=other_auth).json() == []
    refused = client.post(f"/api/v1/bookings/{pending['id']}/approve", json={"note": "x"}, headers=other_auth)
    assert refused.status_code == 403
    queue = client.get("/api/v1/me/approvals", headers=manager_auth).json()
    assert [b["id"] for b in queue] == [pending["id"]]
    approved = client.post(
        f"/api/v1/bookings/{pending['id']}/approve", json={"note": "Enjoy"}, headers=manager_auth
    )
    assert approved.json()["status"] == "booked"
    learner_cannot = client.post(f"/api/v1/bookings/{pending['id']}/decline", headers=report)
    assert learner_cannot.status_code == 403


def test_cancel_session_tells_everyone_and_sends_cancel_with_higher_sequence(
    client: TestClient, db: Session
) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    session = make_session(db, capacity=1)
    booked_id, booked = _learner(db)
    waiting_id, waiting = _learner(db)
    client.post(f"/api/v1/sessions/{session.id}/bookings", headers=booked)
    client.post(f"/api/v1/sessions/{session.id}/bookings", headers=waiting)
    missing = client.post(f"/api/v1/sessions/{session.id}/cancel", json={"reason": " "}, headers=admin)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "reason"
    done = client.post(f"/api/v1/sessions/{session.id}/cancel", json={"reason": "Trainer ill"}, headers=admin)
    assert done.json()["status"] == "cancelled"
    mails = list(
        db.scalars(select(OutboxMail).where(OutboxMail.to_person_id == booked_id).order_by(OutboxMail.id))
    )
    invite, cancel = (Calendar.from_ical(m.attachment) for m in mails)
    assert cancel["method"] == "CANCEL" and "method=CANCEL" in mails[1].attachment_type
    (i,), (c,) = invite.walk("VEVENT"), cancel.walk("VEVENT")
    assert (
        i["uid"] == c["uid"]
        and int(str(c["sequence"])) > int(str(i["sequence"]))
        and c["status"] == "CANCELLED"
    )
    told = db.scalars(select(InboxMessage.body).where(InboxMessage.person_id == waiting_id)).all()
    assert any("Trainer ill" in body for body in told)
    again = client.post(f"/api/v1/sessions/{session.id}/bookings", headers=waiting)
    assert again.status_code == 409 and "cancelled" in again.json()["detail"]


def test_edit_raises_sequence_and_sends_an_update(client: TestClient, db: Session) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    session = make_session(db)
    person_id, learner = _learner(db)
    client.post(f"/api/v1/sessions/{session.id}/bookings", headers=learner)
    changed = client.patch(f"/api/v1/sessions/{session.id}", json={"location": "Room 9"}, headers=admin)
    assert changed.status_code == 200 and changed.json()["sequence"] == 1
    mails = db.scalars(
        select(OutboxMail).where(OutboxMail.to_person_id == person_id).order_by(OutboxMail.id)
    ).all()
    first, update = (Calendar.from_ical(m.attachment).walk("VEVENT")[0] for m in mails)
    assert (int(str(first["sequence"])), int(str(update["sequence"]))) == (0, 1) and update[
        "location"
    ] == "Room 9"


@pytest.mark.parametrize(
    "field", ["title", "location", "timezone", "starts_at", "capacity", "kind", "approval_mode"]
)
def test_a_null_in_a_patch_is_refused_by_name(client: TestClient, db: Session, field: str) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    session = make_session(db)
    refused = client.patch(f"/api/v1/sessions/{session.id}", json={field: None}, headers=admin)
    assert refused.status_code == 422, refused.text
    assert field in {e["field"] for e in refused.json()["errors"]}


def test_attendance_records_a_completion_that_completes_the_assignment(
    client: TestClient, db: Session
) -> None:
    item = make_item(db)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=5)
    instructor = make_person(db)
    instructor_auth = bearer(db, make_account(db, instructor))
    session = make_session(db, item=item, starts_at=started, instructor_id=instructor.id)
    attendee_id, attendee = _learner(db)
    absent_id, absent = _learner(db)
    client.post(f"/api/v1/sessions/{session.id}/bookings", headers=attendee)
    client.post(f"/api/v1/sessions/{session.id}/bookings", headers=absent)
    make_requirement(db, items=[item])
    early = client.post(
        f"/api/v1/sessions/{session.id}/attendance", json={"attended": [attendee_id]}, headers=instructor_auth
    )
    assert early.status_code == 409 and "started" in early.json()["detail"]
    session.starts_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.flush()
    assert (
        client.post(
            f"/api/v1/sessions/{session.id}/attendance", json={"attended": [attendee_id]}, headers=absent
        ).status_code
        == 403
    )
    stranger = client.post(
        f"/api/v1/sessions/{session.id}/attendance",
        json={"attended": [instructor.id]},
        headers=instructor_auth,
    )
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["field"] == "attended"
    body = {"attended": [attendee_id], "no_show": [absent_id]}
    marked = client.post(f"/api/v1/sessions/{session.id}/attendance", json=body, headers=instructor_auth)
    assert marked.json() == {"attended": 1, "no_show": 1, "assignments_completed": 1}
    completion = db.scalar(select(Completion).where(Completion.person_id == attendee_id))
    assert completion is not None and completion.reference == f"session:{session.id}:person:{attendee_id}"
    statuses = dict(
        db.execute(
            select(Assignment.person_id, Assignment.completion_id).where(
                Assignment.person_id.in_([attendee_id, absent_id])
            )
        ).all()
    )
    assert statuses[attendee_id] == completion.id and statuses[absent_id] is None
    # Marking again (now a no-show) revokes the completion instead of adding a second one.
    client.post(
        f"/api/v1/sessions/{session.id}/attendance", json={"no_show": [attendee_id]}, headers=instructor_auth
    )
    db.expire_all()
    rows = db.scalars(select(Completion).where(Completion.person_id == attendee_id)).all()
    assert len(rows) == 1 and rows[0].revoked_at is not None
    # ...and the assignment it completed is no longer completed, with an audit row saying why.
    undone = db.scalars(select(Assignment).where(Assignment.person_id == attendee_id)).one()
    assert (undone.completed_on, undone.completion_id) == (None, None)
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.person_id == attendee_id)).all()
    assert "completion_withdrawn" in actions
    booking = db.scalars(select(Booking).where(Booking.person_id == attendee_id)).one()
    assert (booking.status, booking.completion_id) == ("no_show", None)


def test_nobody_approves_their_own_booking_not_even_an_ld_admin(client: TestClient, db: Session) -> None:
    boss = make_person(db)
    admin_person = make_person(db, manager_id=boss.id)
    admin = bearer(db, make_account(db, admin_person, ld_admin=True))
    other_admin = bearer(db, make_account(db, ld_admin=True))
    session = make_session(db, approval_mode="manager")
    pending = client.post(f"/api/v1/sessions/{session.id}/bookings", headers=admin).json()
    assert pending["status"] == "pending_approval"
    assert client.get("/api/v1/me/approvals", headers=admin).json() == []
    own = client.post(f"/api/v1/bookings/{pending['id']}/approve", json={"note": "me"}, headers=admin)
    assert own.status_code == 403
    assert client.post(f"/api/v1/bookings/{pending['id']}/decline", headers=admin).status_code == 403
    approved = client.post(
        f"/api/v1/bookings/{pending['id']}/approve", json={"note": "ok"}, headers=other_admin
    )
    assert approved.status_code == 200 and approved.json()["status"] == "booked"

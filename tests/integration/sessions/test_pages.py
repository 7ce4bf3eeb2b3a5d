"""The session pages: schedule, booking by form, My bookings with the private feed, approvals, admin."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.people.models import Person
from learnbridge.sessions.booking import book_seat
from learnbridge.sessions.models import Booking, LearningSession
from tests.factories import csrf_from, login, make_account, make_item, make_person, make_session


def _signed_in(client: TestClient, db: Session, **overrides: object) -> int:
    person = make_person(db, **overrides)
    make_account(db, person)
    assert person.email
    login(client, person.email)
    return person.id


def test_schedule_lists_sessions_with_seats_and_filters(client: TestClient, db: Session) -> None:
    full = make_session(db, capacity=1, title="Negotiation basics")
    make_session(db, title="Forklift safety", approval_mode="manager", kind="workshop")
    book_seat(db, session_id=full.id, person_id=make_person(db).id)
    _signed_in(client, db)
    page = client.get("/sessions?q=negotiation").text
    assert "Negotiation basics" in page and "Full - join the waitlist" in page and "Forklift" not in page
    workshop = client.get("/sessions?kind=workshop").text
    assert "Forklift safety" in workshop and "Approval needed" in workshop and "Negotiation" not in workshop


def test_schedule_of_one_item_from_its_catalogue_page(client: TestClient, db: Session) -> None:
    coaching, forklift = make_item(db, title="Coaching basics"), make_item(db, title="Forklift safety")
    make_session(db, item=coaching)
    make_session(db, item=forklift)
    _signed_in(client, db)
    assert f"/sessions?item={coaching.id}" in client.get(f"/catalog/{coaching.id}").text
    page = client.get(f"/sessions?item={coaching.id}").text
    assert "Sessions of" in page and "Coaching basics" in page and "Forklift safety" not in page
    assert client.get("/sessions?item=999999").status_code == 404
    api = client.get(f"/api/v1/sessions?upcoming=true&item={forklift.id}").json()
    assert [s["item"]["title"] for s in api["items"]] == ["Forklift safety"]


def test_book_by_form_then_cancel_from_my_bookings(client: TestClient, db: Session) -> None:
    session = make_session(db, capacity=1)
    taken_by = make_person(db)
    book_seat(db, session_id=session.id, person_id=taken_by.id)
    person_id = _signed_in(client, db)
    page = client.get(f"/sessions/{session.id}?origin=plan")
    assert "Join waitlist" in page.text
    booked = client.post(
        f"/sessions/{session.id}/book", data={"csrf_token": csrf_from(page.text), "origin": "plan"}
    )
    assert booked.status_code == 200 and "number <strong>1</strong> on the waitlist" in booked.text
    mine = db.scalar(select(Booking).where(Booking.person_id == person_id))
    assert mine is not None and (mine.status, mine.origin) == ("waitlisted", "plan")
    again = client.post(f"/sessions/{session.id}/book", data={"csrf_token": csrf_from(page.text)})
    assert again.status_code == 409 and "already have this session" in again.text
    bookings = client.get("/bookings")
    assert "Waitlisted, number 1" in bookings.text
    cancel = client.post(
        f"/sessions/{session.id}/cancel-booking",
        data={"csrf_token": csrf_from(bookings.text), "next": "bookings"},
    )
    assert cancel.url.path == "/bookings" and "Cancelled" in cancel.text


def test_feed_url_works_until_revoked_and_download_parses(client: TestClient, db: Session) -> None:
    session = make_session(db, timezone="Asia/Tokyo")
    person_id = _signed_in(client, db)
    page = client.get(f"/sessions/{session.id}")
    client.post(f"/sessions/{session.id}/book", data={"csrf_token": csrf_from(page.text)})
    download = client.get(f"/sessions/{session.id}/calendar.ics")
    assert download.headers["content-type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(download.text).walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Asia/Tokyo"
    created = client.post("/bookings/feed", data={"csrf_token": csrf_from(page.text)})
    match = re.search(r'id="feed-url" readonly value="([^"]+)"', created.text)
    assert match, created.text
    feed_path = match.group(1).removeprefix("http://testserver")
    client.cookies.clear()  # the feed needs no sign-in
    feed = client.get(feed_path)
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.text)
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [session.calendar_uid]
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    _relogin(client, db, person_id)
    bookings = client.get("/bookings")
    client.post("/bookings/feed/revoke", data={"csrf_token": csrf_from(bookings.text)})
    assert client.get(feed_path).status_code == 404


def _relogin(client: TestClient, db: Session, person_id: int) -> None:
    person = db.get(Person, person_id)
    assert person is not None and person.email
    login(client, person.email)


def test_manager_approves_from_the_approvals_page(client: TestClient, db: Session) -> None:
    manager_id = _signed_in(client, db)
    learner = make_person(db, manager_id=manager_id, name="Ada Report")
    session = make_session(db, approval_mode="manager")
    pending = book_seat(db, session_id=session.id, person_id=learner.id)
    page = client.get("/team/approvals")
    assert "Ada Report" in page.text
    done = client.post(
        f"/team/approvals/{pending.id}",
        data={"csrf_token": csrf_from(page.text), "decision": "approve", "note": "Have fun"},
    )
    notice = done.text.split('id="decided-notice">')[1].split("</p>")[0]
    assert notice.startswith("Approved: Ada Report,") and "told" in notice and "with your note" in notice
    assert "<td>Ada Report</td>" not in done.text
    db.refresh(pending)
    assert (pending.status, pending.decision_note) == ("booked", "Have fun")


def test_learner_cannot_open_admin_or_approvals(client: TestClient, db: Session) -> None:
    session = make_session(db)
    _signed_in(client, db)
    assert client.get("/admin/sessions").status_code == 403
    assert client.get(f"/admin/sessions/{session.id}").status_code == 403
    assert client.get("/team/approvals").status_code == 403


def test_admin_schedules_in_local_time_and_sees_form_errors(client: TestClient, db: Session) -> None:
    admin = make_account(db, ld_admin=True)
    login(client, admin.email)
    item = make_item(db)
    form = client.get("/admin/sessions/new")
    values = {
        "csrf_token": csrf_from(form.text),
        "item_id": str(item.id),
        "kind": "classroom",
        "starts_at": "2031-02-03T09:30",
        "ends_at": "2031-02-03T08:00",
        "timezone": "Europe/Paris",
        "location": "Lyon",
        "capacity": "8",
        "approval_mode": "none",
    }
    bad = client.post("/admin/sessions/new", data=values)
    assert bad.status_code == 422 and "ends_at" in bad.text
    values["ends_at"] = "2031-02-03T12:00"
    made = client.post("/admin/sessions/new", data=values)
    assert made.status_code == 200 and "Saved: the session is created." in made.text
    session = db.scalars(select(LearningSession).where(LearningSession.item_id == item.id)).one()
    assert session.starts_at.isoformat() == "2031-02-03T08:30:00+00:00"
    edit = client.get(f"/admin/sessions/{session.id}/edit")
    assert 'value="2031-02-03T09:30"' in edit.text
    assert "Europe/Paris" in client.get("/admin/sessions").text
    cancel = client.post(
        f"/admin/sessions/{session.id}/cancel", data={"csrf_token": csrf_from(form.text), "reason": ""}
    )
    assert cancel.status_code == 422 and "reason" in cancel.text


def test_admin_marks_attendance_on_the_roster_and_bad_ids_are_refused(
    client: TestClient, db: Session
) -> None:
    session = make_session(db)
    person = make_person(db)
    book_seat(db, session_id=session.id, person_id=person.id)
    session.starts_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)  # it has started
    db.flush()
    admin = make_account(db, ld_admin=True)
    login(client, admin.email)
    roster = client.get(f"/admin/sessions/{session.id}")
    assert roster.status_code == 200 and person.name in roster.text
    token = csrf_from(roster.text)
    for bad in ("²", "99999999999999999999"):
        refused = client.post(
            f"/admin/sessions/{session.id}/attendance",
            data={"csrf_token": token, f"attendance-{bad}": "attended"},
        )
        assert 400 <= refused.status_code < 500 and "is not a person on this roster" in refused.text
    done = client.post(
        f"/admin/sessions/{session.id}/attendance",
        data={"csrf_token": token, f"attendance-{person.id}": "attended"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    status = db.scalar(select(Booking.status).where(Booking.session_id == session.id))
    assert status == "attended"


def test_attendance_opens_at_the_start_keeps_the_ticks_and_the_counts_stay_right(
    client: TestClient, db: Session
) -> None:
    session = make_session(db, capacity=3)
    ada, bo = make_person(db, name="Ada Early"), make_person(db, name="Bo Later")
    for person in (ada, bo):
        book_seat(db, session_id=session.id, person_id=person.id)
    db.flush()
    login(client, make_account(db, ld_admin=True).email)
    before = client.get(f"/admin/sessions/{session.id}")
    assert "Attendance can be marked from the start of the session." in before.text
    assert 'value="attended"' not in before.text and "Save attendance" not in before.text
    token = csrf_from(before.text)
    # A form left open from before the start says why, on the roster, with the ticks as sent.
    early = client.post(
        f"/admin/sessions/{session.id}/attendance",
        data={"csrf_token": token, f"attendance-{ada.id}": "attended", f"attendance-{bo.id}": "no_show"},
    )
    assert early.status_code == 409 and "once the session has started" in early.text
    assert "Ada Early" in early.text and 'role="alert"' in early.text

    session.starts_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)  # it has started: attendance opens
    db.flush()
    opened = client.get(f"/admin/sessions/{session.id}")
    assert "Save attendance" in opened.text and "2 of 3 booked" in opened.text
    stranger = make_person(db, name="Cy Stranger")
    db.flush()
    refused = client.post(
        f"/admin/sessions/{session.id}/attendance",
        data={
            "csrf_token": token,
            f"attendance-{ada.id}": "attended",
            f"attendance-{stranger.id}": "no_show",
        },
    )
    assert refused.status_code == 422 and "were not booked on this session" in refused.text
    assert re.search(rf'name="attendance-{ada.id}" value="attended" checked', refused.text)  # kept
    saved = client.post(
        f"/admin/sessions/{session.id}/attendance",
        data={"csrf_token": token, f"attendance-{ada.id}": "attended", f"attendance-{bo.id}": "no_show"},
    )
    assert "Attendance saved." in saved.text
    # Marked people still hold their seats in the counts.
    assert "2 of 3 booked (1 attended, 1 no-show)" in saved.text
    assert ">2 / 3<" in client.get("/admin/sessions").text

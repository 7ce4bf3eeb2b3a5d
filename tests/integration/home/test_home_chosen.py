"""The learner's home page: what they chose, beside what is required of them."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.core.db import utcnow
from learnbridge.records.models import Origin
from learnbridge.records.service import enrol
from learnbridge.sessions.booking import book_seat
from tests.factories import login, make_account, make_item, make_person, make_plan, make_session


def test_home_lists_the_plan_coming_sessions_and_enrolments(client: TestClient, db: Session) -> None:
    person = make_person(db)
    make_account(db, person)
    plan = make_plan(db, person=person)
    full = make_session(db, capacity=1, title="Coaching lab")
    book_seat(db, session_id=full.id, person_id=make_person(db).id)
    book_seat(db, session_id=full.id, person_id=person.id)
    later = utcnow() + dt.timedelta(days=20)
    booked = make_session(db, title="Forklift practice", starts_at=later)
    book_seat(db, session_id=booked.id, person_id=person.id)
    enrol(db, person_id=person.id, item_id=make_item(db, title="Excel Essentials").id, origin=Origin.self)
    assert person.email
    login(client, person.email)
    page = client.get("/").text
    chosen = page[page.index("What you chose") :]
    assert plan.title in chosen and "0 of 0 planned learning done" in chosen
    assert "Coaching lab" in chosen and "waitlisted, number 1" in chosen
    assert "Forklift practice" in chosen and "booked" in chosen
    assert "Excel Essentials" in chosen


def test_home_without_a_plan_invites_one(client: TestClient, db: Session) -> None:
    person = make_person(db)
    make_account(db, person)
    assert person.email
    login(client, person.email)
    assert "You have no development plan yet" in client.get("/").text

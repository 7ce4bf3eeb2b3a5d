"""A wall-clock time that a clock change skips or shows twice is refused, by name, when a session is
scheduled or changed: through the API (422 naming the field) and the admin form (the message next to the
field, what was typed kept). Nothing is saved."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.sessions.models import LearningSession
from tests.factories import bearer, csrf_from, login, make_account, make_item, make_session

SKIPPED = "starts_at: 02:30 on 29 March 2026 does not exist in Europe/Berlin (clocks go forward an hour)"


def _body(item_id: int, **changes: object) -> dict[str, object]:
    return {
        "item_id": item_id,
        "starts_at": "2026-03-29T02:30",
        "ends_at": "2026-03-29T05:00",
        "timezone": "Europe/Berlin",
        "location": "Berlin, room 4",
        "capacity": 10,
    } | changes


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(LearningSession)) or 0


def test_the_api_refuses_a_skipped_start_by_name(client: TestClient, db: Session) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    before = _count(db)
    response = client.post("/api/v1/sessions", json=_body(make_item(db).id), headers=admin)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"] == [{"field": "starts_at", "message": SKIPPED.removeprefix("starts_at: ")}]
    assert SKIPPED in problem["detail"]
    assert _count(db) == before


def test_the_api_refuses_a_doubled_end_and_deadline_but_takes_an_offset(
    client: TestClient, db: Session
) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    body = _body(
        make_item(db).id,
        starts_at="2026-10-25T01:00",
        ends_at="2026-10-25T02:30",
        booking_deadline="2026-10-24T02:30",  # a day before: fine
    )
    response = client.post("/api/v1/sessions", json=body, headers=admin)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "ends_at"
    assert error["message"].startswith("02:30 on 25 October 2026 happens twice in Europe/Berlin")
    # With its offset the time is one instant: the second 02:30, in winter time.
    body["ends_at"] = "2026-10-25T02:30+01:00"
    made = client.post("/api/v1/sessions", json=body, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["ends_at"].startswith("2026-10-25T01:30:00")


def test_the_api_refuses_a_change_to_a_skipped_time(client: TestClient, db: Session) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    session = make_session(
        db,
        starts_at=dt.datetime(2031, 3, 30, 9),
        ends_at=dt.datetime(2031, 3, 30, 11),
        timezone="Europe/Berlin",
    )
    patch = {"starts_at": "2031-03-30T02:15", "ends_at": "2031-03-30T04:00"}
    response = client.patch(f"/api/v1/sessions/{session.id}", json=patch, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "starts_at",
            "message": "02:15 on 30 March 2031 does not exist in Europe/Berlin (clocks go forward an hour)",
        }
    ]
    db.refresh(session)
    assert session.starts_at == dt.datetime(2031, 3, 30, 7, tzinfo=dt.UTC)


def _form(client: TestClient, path: str, item_id: int) -> dict[str, str]:
    page = client.get(path)
    return {
        "csrf_token": csrf_from(page.text),
        "item_id": str(item_id),
        "kind": "classroom",
        "starts_at": "2026-03-29T02:30",
        "ends_at": "2026-03-29T05:00",
        "timezone": "Europe/Berlin",
        "location": "Berlin, room 4",
        "capacity": "10",
        "approval_mode": "none",
    }


def test_the_form_says_it_next_to_the_field_and_keeps_what_was_typed(client: TestClient, db: Session) -> None:
    login(client, make_account(db, ld_admin=True).email)
    before = _count(db)
    values = _form(client, "/admin/sessions/new", make_item(db).id)
    refused = client.post("/admin/sessions/new", data=values)
    assert refused.status_code == 422
    message = SKIPPED.removeprefix("starts_at: ")
    assert (
        f'value="2026-03-29T02:30" aria-invalid="true" aria-describedby="starts_at-error">'
        f'<p class="field-error" id="starts_at-error">{message}</p>'
    ) in refused.text
    assert 'value="Berlin, room 4"' in refused.text and 'value="2026-03-29T05:00"' in refused.text
    assert 'id="ends_at-error"' not in refused.text
    assert refused.text.count(message) == 1  # said once, beside its field; the box above counts it
    assert "1 problem to fix, marked beside its field below." in refused.text
    assert _count(db) == before


def test_the_edit_form_refuses_a_doubled_time_and_keeps_the_session(client: TestClient, db: Session) -> None:
    login(client, make_account(db, ld_admin=True).email)
    session = make_session(
        db,
        starts_at=dt.datetime(2031, 10, 26, 9),
        ends_at=dt.datetime(2031, 10, 26, 11),
        timezone="Europe/Berlin",
    )
    values = _form(client, f"/admin/sessions/{session.id}/edit", session.item_id)
    values.update(starts_at="2031-10-26T02:00", ends_at="2031-10-26T04:00")
    refused = client.post(f"/admin/sessions/{session.id}/edit", data=values)
    assert refused.status_code == 422
    assert 'id="starts_at-error">02:00 on 26 October 2031 happens twice in Europe/Berlin' in refused.text
    assert 'value="2031-10-26T02:00"' in refused.text
    db.refresh(session)
    assert session.starts_at == dt.datetime(2031, 10, 26, 8, tzinfo=dt.UTC)

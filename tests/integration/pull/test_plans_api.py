"""Development plans through the API: writing one, validation naming the field, progress from ticks,
completions and attendance, who may see a plan, comments and acknowledgement, and origins."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.core.db import utcnow
from learnbridge.core.paging import encode_cursor
from learnbridge.notify.models import InboxMessage
from learnbridge.people.models import Person
from learnbridge.pull.models import PlanItem
from learnbridge.records.models import CompletionSource, Enrolment, ItemOpening
from learnbridge.records.service import add_completion
from learnbridge.sessions.models import Booking, LearningSession
from tests.factories import (
    bearer,
    make_account,
    make_completion,
    make_item,
    make_person,
    make_plan,
    make_session,
    make_skill,
)

YEAR = dt.date.today().year


def _person_with_token(db: Session, **overrides: object) -> tuple[Person, dict[str, str]]:
    person = make_person(db, **overrides)
    return person, bearer(db, make_account(db, person))


def _new_plan(client: TestClient, headers: dict[str, str], **extra: object) -> dict[str, object]:
    body = {"title": "Grow into a shift lead", "period_start": f"{YEAR}-01-01", "period_end": f"{YEAR}-12-31"}
    body.update(extra)  # type: ignore[arg-type]
    response = client.post("/api/v1/me/plans", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _error_fields(response: object) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}  # type: ignore[attr-defined]


def test_a_plan_with_a_conversation_goal_and_items(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Bo Boss")
    _, headers = _person_with_token(db, manager_id=boss.id)
    skill = make_skill(db, name="Coaching")
    item = make_item(db, title="Coaching basics")
    plan = _new_plan(
        client,
        headers,
        aspirations="Lead a shift by winter.",
        conversation={"held_on": f"{YEAR}-01-01", "note": "We talked about leading."},
    )
    assert plan["conversations"][0]["with_person_id"] == boss.id  # type: ignore[index]
    goal = client.post(
        f"/api/v1/me/plans/{plan['id']}/goals",
        json={"title": "Coach new starters", "skill_id": skill.id, "target_level": 2},
        headers=headers,
    )
    assert goal.status_code == 201, goal.text
    assert goal.json()["target_level_name"] == "Working" and goal.json()["skill"] == "Coaching"
    planned = client.post(
        f"/api/v1/me/plans/{plan['id']}/items",
        json={"item_id": item.id, "goal_id": goal.json()["id"]},
        headers=headers,
    )
    assert planned.status_code == 201 and planned.json()["origin"] == "plan"
    assert planned.json() | {"done": False, "done_by": None} == planned.json()
    shown = client.get(f"/api/v1/me/plans/{plan['id']}", headers=headers).json()
    assert shown["items_total"] == 1 and shown["goals"][0]["items_total"] == 1
    assert [p["id"] for p in client.get("/api/v1/me/plans", headers=headers).json()] == [plan["id"]]


def test_validation_names_the_field(client: TestClient, db: Session) -> None:
    _, headers = _person_with_token(db)
    bad = client.post(
        "/api/v1/me/plans",
        json={"title": "Plan", "period_start": f"{YEAR}-06-01", "period_end": f"{YEAR}-01-01"},
        headers=headers,
    )
    assert bad.status_code == 422 and _error_fields(bad) == {"period_end"}
    plan = _new_plan(client, headers)
    skill = make_skill(db)  # levels 1 to 3
    goal = client.post(
        f"/api/v1/me/plans/{plan['id']}/goals",
        json={"title": "Master it", "skill_id": skill.id, "target_level": 4},
        headers=headers,
    )
    assert goal.status_code == 422 and _error_fields(goal) == {"target_level"}
    no_skill = client.post(
        f"/api/v1/me/plans/{plan['id']}/goals",
        json={"title": "Level only", "target_level": 2},
        headers=headers,
    )
    assert no_skill.status_code == 422 and _error_fields(no_skill) == {"target_level"}
    origin = client.post(
        f"/api/v1/me/plans/{plan['id']}/items",
        json={"activity": "Shadow", "origin": "magic"},
        headers=headers,
    )
    assert origin.status_code == 422 and _error_fields(origin) == {"origin"}
    both = client.post(
        f"/api/v1/me/plans/{plan['id']}/items",
        json={"activity": "Shadow", "item_id": make_item(db).id},
        headers=headers,
    )
    assert both.status_code == 422 and _error_fields(both) == {"item_id"}
    second = client.post(
        "/api/v1/me/plans",
        json={"title": "Another", "period_start": f"{YEAR}-01-01", "period_end": f"{YEAR}-02-01"},
        headers=headers,
    )
    assert second.status_code == 409


def test_progress_from_a_tick_a_completion_and_attendance(client: TestClient, db: Session) -> None:
    person, headers = _person_with_token(db)
    plan = _new_plan(client, headers)
    url = f"/api/v1/me/plans/{plan['id']}"
    goal = client.post(f"{url}/goals", json={"title": "Run the night shift"}, headers=headers).json()
    course = make_item(db, title="Night shift safety")
    workshop = make_item(db, title="Shift handover workshop")
    session = LearningSession(
        item_id=workshop.id,
        starts_at=utcnow() - dt.timedelta(days=2),
        ends_at=utcnow() - dt.timedelta(days=2, hours=-2),
        capacity=10,
        location="Room 1",
    )
    db.add(session)
    db.flush()
    ids = [
        client.post(f"{url}/items", json=body | {"goal_id": goal["id"]}, headers=headers).json()["id"]
        for body in (
            {"activity": "Shadow the night shift"},
            {"item_id": course.id},
            {"session_id": session.id},
        )
    ]
    tick = client.post(f"{url}/items/{ids[0]}/done", json={"done": True}, headers=headers)
    assert tick.json()["done_by"] == "hand"
    add_completion(
        db,
        person_id=person.id,
        item_id=course.id,
        completed_at=dt.datetime(YEAR, 1, 2, 12, tzinfo=dt.UTC),
        source=CompletionSource.manual,
    )
    db.add(Booking(session_id=session.id, person_id=person.id, status="attended", queue_position=1))
    db.flush()
    shown = client.get(url, headers=headers).json()
    assert [(i["done"], i["done_by"]) for i in shown["items"]] == [
        (True, "hand"),
        (True, "completion"),
        (True, "attendance"),
    ]
    assert shown["items"][1]["done_on"] == f"{YEAR}-01-02"
    assert (shown["items_done"], shown["percent"], shown["goals"][0]["percent"]) == (3, 100, 100)
    untick = client.post(f"{url}/items/{ids[0]}/done", json={"done": False}, headers=headers)
    assert untick.json()["done"] is False


def test_completions_before_the_period_and_revoked_ones_do_not_count(db: Session) -> None:
    from learnbridge.pull.plan_views import plan_progress
    from learnbridge.pull.plans import add_plan_item

    person = make_person(db)
    item = make_item(db)
    plan = make_plan(db, person=person, period_start=dt.date(YEAR, 6, 1), period_end=dt.date(YEAR, 12, 31))
    add_plan_item(db, plan_id=plan.id, item_id=item.id)
    old, _ = add_completion(
        db,
        person_id=person.id,
        item_id=item.id,
        completed_at=dt.datetime(YEAR, 5, 31, 12, tzinfo=dt.UTC),
        source=CompletionSource.manual,
    )
    assert plan_progress(db, plan).done == 0 and old.id
    revoked = {"source": "attendance", "revoked_at": utcnow()}
    make_completion(db, person=person, item=item, completed_on=dt.date(YEAR, 6, 2), **revoked)
    assert plan_progress(db, plan).done == 0


def test_only_the_owner_and_managers_up_the_line_see_a_shared_plan(client: TestClient, db: Session) -> None:
    top = make_person(db, name="Top Manager")
    boss = make_person(db, name="Direct Manager", manager_id=top.id)
    person, headers = _person_with_token(db, manager_id=boss.id)
    boss_h = bearer(db, make_account(db, boss))
    top_h = bearer(db, make_account(db, top))
    other_boss = make_person(db)
    make_person(db, manager_id=other_boss.id)
    others = [
        bearer(db, make_account(db, other_boss)),
        bearer(db, make_account(db, ld_admin=True)),
        bearer(db, make_account(db, auditor=True)),
        bearer(db, make_account(db, make_person(db))),
    ]
    plan = _new_plan(client, headers)
    url = f"/api/v1/plans/{plan['id']}"
    assert client.get(url, headers=headers).status_code == 200
    for h in [boss_h, top_h, *others]:
        assert client.get(url, headers=h).status_code == 404
    assert client.get("/api/v1/team/plans", headers=boss_h).json()["plans"] == []
    client.post(f"/api/v1/me/plans/{plan['id']}/share", json={"shared": True}, headers=headers)
    assert client.get(url, headers=boss_h).status_code == 200
    assert client.get(url, headers=top_h).status_code == 200
    for h in others:
        assert client.get(url, headers=h).status_code == 404
        assert client.get(f"/api/v1/me/plans/{plan['id']}", headers=h).status_code == 404
    team = client.get("/api/v1/team/plans", headers=boss_h).json()["plans"]
    assert [(p["id"], p["person"], p["goals"]) for p in team] == [(plan["id"], person.name, 0)]
    forged = encode_cursor([123, "x"])  # well-formed, but not a (name, id) cursor
    refused = client.get(f"/api/v1/team/plans?cursor={forged}", headers=boss_h)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "cursor"
    told = db.scalar(select(func.count()).select_from(InboxMessage).where(InboxMessage.person_id == boss.id))
    assert told == 1
    client.post(f"/api/v1/me/plans/{plan['id']}/share", json={"shared": False}, headers=headers)
    assert client.get(url, headers=boss_h).status_code == 404


def test_comments_and_acknowledgement_only_by_a_manager(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Maria Manager")
    _, headers = _person_with_token(db, manager_id=boss.id)
    boss_h = bearer(db, make_account(db, boss))
    plan = _new_plan(client, headers)
    url = f"/api/v1/plans/{plan['id']}"
    assert client.post(f"{url}/comments", json={"body": "Hidden"}, headers=boss_h).status_code == 404
    client.post(f"/api/v1/me/plans/{plan['id']}/share", json={"shared": True}, headers=headers)
    for h in (headers, bearer(db, make_account(db, ld_admin=True))):
        assert client.post(f"{url}/comments", json={"body": "Me"}, headers=h).status_code == 404
        assert client.post(f"{url}/acknowledge", headers=h).status_code == 404
    comment = client.post(f"{url}/comments", json={"body": "Great plan."}, headers=boss_h)
    assert comment.status_code == 201 and comment.json()["author"] == "Maria Manager"
    empty = client.post(f"{url}/comments", json={"body": "  "}, headers=boss_h)
    assert empty.status_code == 422
    acknowledged = client.post(f"{url}/acknowledge", headers=boss_h).json()
    assert acknowledged["acknowledged_by_id"] == boss.id and acknowledged["acknowledged_at"]
    seen = client.get(f"/api/v1/me/plans/{plan['id']}", headers=headers).json()
    assert [c["body"] for c in seen["comments"]] == ["Great plan."] and seen["acknowledged_at"]


def test_closing_and_reopening(client: TestClient, db: Session) -> None:
    _, headers = _person_with_token(db)
    first = _new_plan(client, headers)
    url = f"/api/v1/me/plans/{first['id']}"
    assert client.patch(url, json={"status": "closed"}, headers=headers).json()["status"] == "closed"
    assert client.post(f"{url}/goals", json={"title": "Late goal"}, headers=headers).status_code == 409
    _new_plan(client, headers, title="Next year")
    assert client.patch(url, json={"status": "active"}, headers=headers).status_code == 409
    bad = client.patch(url, json={"period_end": "2000-01-01"}, headers=headers)
    assert bad.status_code == 409


def test_checkins_on_the_plan_or_a_goal(client: TestClient, db: Session) -> None:
    _, headers = _person_with_token(db)
    plan = _new_plan(client, headers)
    url = f"/api/v1/me/plans/{plan['id']}"
    goal = client.post(f"{url}/goals", json={"title": "Coach"}, headers=headers).json()
    first = client.post(f"{url}/checkins", json={"note": "Started"}, headers=headers)
    second = client.post(f"{url}/checkins", json={"progress": 40, "goal_id": goal["id"]}, headers=headers)
    assert first.status_code == 201 and second.json()["progress"] == 40
    assert client.post(f"{url}/checkins", json={}, headers=headers).status_code == 422
    too_much = client.post(f"{url}/checkins", json={"progress": 101}, headers=headers)
    assert too_much.status_code == 422 and _error_fields(too_much) == {"progress"}
    shown = client.get(url, headers=headers).json()
    assert [c["progress"] for c in shown["checkins"]] == [40, None]


@pytest.mark.parametrize("origin", ["recommendation", "plan"])
def test_origin_is_recorded_on_items_enrolments_and_openings(
    client: TestClient, db: Session, origin: str
) -> None:
    person, headers = _person_with_token(db)
    item = make_item(db)
    plan = _new_plan(client, headers)
    added = client.post(
        f"/api/v1/me/plans/{plan['id']}/items", json={"item_id": item.id, "origin": origin}, headers=headers
    )
    assert db.get(PlanItem, added.json()["id"]).origin == origin  # type: ignore[union-attr]
    enrolled = client.post(
        "/api/v1/me/enrolments", json={"item_id": item.id, "origin": origin}, headers=headers
    )
    again = client.post("/api/v1/me/enrolments", json={"item_id": item.id, "origin": "self"}, headers=headers)
    assert enrolled.status_code == 201 and again.json()["id"] == enrolled.json()["id"]
    assert again.json()["origin"] == origin
    opened = client.post("/api/v1/me/openings", json={"item_id": item.id, "origin": origin}, headers=headers)
    assert opened.status_code == 201
    assert db.scalars(select(Enrolment.origin).where(Enrolment.person_id == person.id)).all() == [origin]
    assert db.scalars(select(ItemOpening.origin).where(ItemOpening.person_id == person.id)).all() == [origin]
    listed = client.get("/api/v1/me/enrolments", headers=headers).json()
    assert [(e["item_id"], e["origin"]) for e in listed] == [(item.id, origin)]


def test_take_up_rejects_a_bad_origin_and_unpublished_items(client: TestClient, db: Session) -> None:
    from learnbridge.catalog.models import ItemStatus

    _, headers = _person_with_token(db)
    bad = client.post(
        "/api/v1/me/openings", json={"item_id": make_item(db).id, "origin": "x"}, headers=headers
    )
    assert bad.status_code == 422 and _error_fields(bad) == {"origin"}
    draft = make_item(db, status=ItemStatus.draft)
    assert (
        client.post("/api/v1/me/enrolments", json={"item_id": draft.id}, headers=headers).status_code == 404
    )


def test_goals_change_status_and_level_within_their_scale(client: TestClient, db: Session) -> None:
    _, headers = _person_with_token(db)
    plan = _new_plan(client, headers)
    url = f"/api/v1/me/plans/{plan['id']}/goals"
    skill = make_skill(db)
    goal = client.post(
        url, json={"title": "Coach", "skill_id": skill.id, "target_level": 1}, headers=headers
    ).json()
    higher = client.patch(f"{url}/{goal['id']}", json={"target_level": 3}, headers=headers)
    assert higher.json()["target_level_name"] == "Expert"
    beyond = client.patch(f"{url}/{goal['id']}", json={"target_level": 4}, headers=headers)
    assert beyond.status_code == 422 and _error_fields(beyond) == {"target_level"}
    achieved = client.patch(f"{url}/{goal['id']}", json={"status": "achieved"}, headers=headers)
    assert achieved.json()["status"] == "achieved" and achieved.json()["target_level"] == 3
    assert client.patch(f"{url}/999999", json={"status": "dropped"}, headers=headers).status_code == 404
    bad_status = client.patch(f"{url}/{goal['id']}", json={"status": "won"}, headers=headers)
    assert bad_status.status_code == 422 and _error_fields(bad_status) == {"status"}


def test_a_person_cannot_claim_assigned_origins(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, make_person(db)))
    item = make_item(db)
    for origin in ("manager", "requirement"):
        enrolled = client.post(
            "/api/v1/me/enrolments", json={"item_id": item.id, "origin": origin}, headers=headers
        )
        assert enrolled.status_code == 422 and enrolled.json()["errors"][0]["field"] == "origin"
        opened = client.get(f"/items/{item.id}/open?origin={origin}", headers=headers, follow_redirects=False)
        assert opened.status_code == 422
        booked = client.post(
            f"/api/v1/sessions/{make_session(db).id}/bookings", json={"origin": origin}, headers=headers
        )
        assert booked.status_code == 422


def test_a_conversation_can_name_only_a_manager_above_so_no_name_can_be_looked_up(
    client: TestClient, db: Session
) -> None:
    skip_level = make_person(db, name="Sky Level")
    boss = make_person(db, name="Bo Boss", manager_id=skip_level.id)
    stranger = make_person(db, name="Someone Elsewhere")
    _, headers = _person_with_token(db, manager_id=boss.id)
    plan = _new_plan(client, headers)
    url = f"/api/v1/me/plans/{plan['id']}/conversations"
    for who in (stranger.id, 987654321):
        refused = client.post(url, json={"held_on": f"{YEAR}-01-02", "with_person_id": who}, headers=headers)
        assert refused.status_code == 422, refused.text
        assert _error_fields(refused) == {"conversation.with_person_id"}
        assert "Someone Elsewhere" not in refused.text
    for who in (boss.id, skip_level.id):
        done = client.post(url, json={"held_on": f"{YEAR}-01-02", "with_person_id": who}, headers=headers)
        assert done.status_code == 201, done.text
    shown = client.get(f"/api/v1/me/plans/{plan['id']}", headers=headers).text
    assert "Someone Elsewhere" not in shown

"""The recommendations API (its exact shape), feedback through the API and the For you page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.core.db import utcnow
from learnbridge.sessions.models import LearningSession
from tests.factories import (
    bearer,
    csrf_from,
    login,
    make_account,
    make_framework,
    make_goals,
    make_item,
    make_person,
    make_skill,
)


def _setup(db: Session) -> tuple[dict[str, str], dict[str, Any]]:
    coaching = make_skill(db, make_framework(db, levels=("1", "2", "3")), name="Coaching")
    person = make_person(db)
    make_goals(db, person=person, goals=[("Lead a team", coaching, 3)])
    workshop = make_item(
        db, title="Coaching workshop", skills=[(coaching, 3)], format="workshop", summary="Hands on"
    )
    online = make_item(db, title="Coaching online", skills=[(coaching, 2)])
    starts = (utcnow() + dt.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    session = LearningSession(
        item_id=workshop.id,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        location="Leeds",
        capacity=4,
    )
    db.add(session)
    db.flush()
    account = make_account(db, person)
    return bearer(db, account), {
        "workshop": workshop.id,
        "online": online.id,
        "session": session.id,
        "email": account.email,
    }


def test_recommendations_api_shape(client: TestClient, db: Session) -> None:
    headers, ids = _setup(db)
    body = client.get("/api/v1/me/recommendations", headers=headers).json()
    assert list(body) == ["items"]
    first = body["items"][0]
    assert list(first) == ["item", "session", "score", "reason"]
    assert {"id", "title", "kind", "format", "summary"} <= set(first["item"])
    assert first["item"]["id"] == ids["workshop"] and first["item"]["format"] == "workshop"
    assert isinstance(first["score"], float) and first["reason"].startswith("Builds Coaching")
    assert first["session"]["id"] == ids["session"] and first["session"]["seats_left"] == 4
    assert "Leeds, 4 seats left" in first["session"]["label"] and first["session"]["label"].startswith(
        "Next session: "
    )
    assert body["items"][1]["session"] is None
    assert len(client.get("/api/v1/me/recommendations?limit=1", headers=headers).json()["items"]) == 1


def test_feedback_api_records_and_changes_what_is_recommended(client: TestClient, db: Session) -> None:
    headers, ids = _setup(db)
    told = client.post(
        "/api/v1/me/recommendations/feedback",
        json={"item_id": ids["workshop"], "action": "dismissed"},
        headers=headers,
    )
    assert told.status_code == 201 and told.json()["action"] == "dismissed"
    items = client.get("/api/v1/me/recommendations", headers=headers).json()["items"]
    assert [i["item"]["id"] for i in items] == [ids["online"]]
    bad = client.post(
        "/api/v1/me/recommendations/feedback",
        json={"item_id": ids["online"], "action": "loved"},
        headers=headers,
    )
    assert bad.status_code == 422
    missing = client.post(
        "/api/v1/me/recommendations/feedback", json={"item_id": 999999, "action": "saved"}, headers=headers
    )
    assert missing.status_code == 404


def test_an_account_without_a_person_gets_no_recommendations(client: TestClient, db: Session) -> None:
    admin = bearer(db, make_account(db, ld_admin=True))
    assert client.get("/api/v1/me/recommendations", headers=admin).status_code == 403


def test_for_you_page_links_with_origin_and_saves_and_dismisses(client: TestClient, db: Session) -> None:
    _, ids = _setup(db)
    login(client, str(ids["email"]))
    page = client.get("/for-you")
    assert page.status_code == 200 and "the goal &#39;Lead a team&#39; in your plan" in page.text
    assert "Match " not in page.text  # no raw score
    assert f'href="/items/{ids["workshop"]}/open?origin=recommendation&amp;t=' in page.text
    assert (
        f'action="/sessions/{ids["session"]}/book"' in page.text
        and 'name="origin" value="recommendation"' in page.text
    )
    token = csrf_from(page.text)
    saved = client.post(
        "/for-you/feedback", data={"csrf_token": token, "item_id": ids["online"], "action": "saved"}
    )
    assert 'id="saved-list"' in saved.text and "Coaching online" in saved.text.split('id="saved-heading"')[1]
    gone = client.post(
        "/for-you/feedback", data={"csrf_token": token, "item_id": ids["workshop"], "action": "dismissed"}
    )
    assert f'id="rec-{ids["workshop"]}"' not in gone.text


def test_for_you_without_a_plan_explains_how_to_get_better(client: TestClient, db: Session) -> None:
    account = make_account(db, make_person(db))
    make_item(db, title="Something new")
    login(client, account.email)
    page = client.get("/for-you")
    assert (
        "Get better recommendations" in page.text
        and 'href="/plan"' in page.text
        and 'href="/me/skills"' in page.text
    )
    assert "New in the catalogue" in page.text

"""Catalogue pages through the web layer: browse, search fragment, admin create/edit/publish."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import csrf_from, login, make_account, make_item, make_person, make_skill


def test_learner_browses_searches_and_opens_an_item(client: TestClient, db: Session) -> None:
    skill = make_skill(db, name="Coaching")
    item = make_item(
        db, title="Coaching Conversations", objectives=["Use the GROW model"], skills=[(skill, 2)]
    )
    login(client, make_account(db, make_person(db)).email)
    page = client.get("/catalog", params={"q": "coach"})
    assert "Coaching Conversations" in page.text
    fragment = client.get(
        "/catalog", params={"q": "coach"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert fragment.text.lstrip().startswith('<div id="results"')
    detail = client.get(f"/catalog/{item.id}")
    assert "Use the GROW model" in detail.text and "Coaching" in detail.text


def test_admin_creates_edits_and_publishes_through_forms(client: TestClient, db: Session) -> None:
    skill = make_skill(db)
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/catalog/new").text)
    form = {
        "csrf_token": token,
        "title": "Safe Lifting",
        "kind": "course",
        "format": "classroom",
        "summary": "Lift well",
        "objectives": "Lift a box safely\nPlan a two-person lift",
        "skill_id": [str(skill.id), ""],
        "skill_level": ["2", "1"],
        "provider": "in_house",
        "cost": "0",
        "currency": "EUR",
    }
    created = client.post("/admin/catalog/new", data=form, follow_redirects=False)
    assert created.status_code == 303
    edit_url = created.headers["location"].split("?")[0]
    page = client.get(edit_url)
    assert "Lift a box safely" in page.text and "Draft" in page.text
    status_url = edit_url.replace("/edit", "/status")
    published = client.post(status_url, data={"csrf_token": token, "status": "published"})
    assert 'id="item-status">Published' in published.text


def test_admin_form_errors_name_the_field_and_keep_the_input(client: TestClient, db: Session) -> None:
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/catalog/new").text)
    response = client.post(
        "/admin/catalog/new",
        data={
            "csrf_token": token,
            "title": "ok title",
            "kind": "course",
            "format": "video",
            "cost": "-5",
            "currency": "EUR",
            "provider": "in_house",
            "objectives": "Keep me",
        },
    )
    assert response.status_code == 422
    assert "<code>cost</code>" in response.text and "Keep me" in response.text

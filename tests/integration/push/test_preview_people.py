"""A requirement's preview lists everyone it would change, 50 a page, in the editor (posted again with
the form), on the activation page (links) and in the API (`page`), never "and 6 more"."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.people.models import OrgUnit
from tests.factories import (
    bearer,
    csrf_from,
    login,
    make_account,
    make_item,
    make_person,
    make_requirement,
    make_unit,
)

PEOPLE = 120  # three pages: 50, 50, 20


def _depot(db: Session) -> OrgUnit:
    unit = make_unit(db, "Depot")
    for n in range(PEOPLE):
        make_person(db, org_unit_id=unit.id, name=f"Depot Worker {n:03d}")
    db.commit()
    return unit


def _form(token: str, unit_id: int, item_id: int) -> dict[str, object]:
    return {
        "csrf_token": token,
        "name": "Fire safety",
        "item_ids": [str(item_id)],
        "tree_units": [str(unit_id)],
        "due_kind": "fixed",
        "due_date": "2020-01-01",
        "due_days": "30",
        "grace_days": "0",
        "window_days": "30",
        "renew_from": "completion",
    }


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/people/\d+">(Depot Worker \d+)</a>', page)


def test_the_editor_preview_pages_through_everyone(client: TestClient, db: Session) -> None:
    unit = _depot(db)
    item = make_item(db, title="Fire safety")
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/requirements/new").text)
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    form = _form(token, unit.id, item.id)
    seen: list[str] = []
    for number, rows in ((1, 50), (2, 50), (3, 20)):
        page = client.post(f"/admin/requirements/preview?page={number}", data=form, headers=headers)
        assert page.status_code == 200, page.text
        assert 'id="preview-added">120<' in page.text and "more" not in page.text
        assert f"page {number} of 3" in page.text
        assert len(_names(page.text)) == rows and page.text.count("Overdue at once") == rows
        assert ('hx-post="/admin/requirements/preview?page=2"' in page.text) == (number in (1, 3))
        seen += _names(page.text)
    assert seen == sorted(f"Depot Worker {n:03d}" for n in range(PEOPLE))  # each once, by name
    past_the_end = client.post("/admin/requirements/preview?page=9", data=form, headers=headers)
    assert "page 3 of 3" in past_the_end.text  # the last page, not an empty one
    refused = client.post("/admin/requirements/preview?page=0", data=form, headers=headers)
    assert refused.status_code == 422 and "page" in refused.text


def test_the_activation_page_links_every_page(client: TestClient, db: Session) -> None:
    unit = _depot(db)
    requirement = make_requirement(
        db, items=[make_item(db)], rules=[{"kind": "unit_tree", "org_unit_id": unit.id}], activate=False
    )
    db.commit()
    login(client, make_account(db, ld_admin=True).email)
    first = client.get(f"/admin/requirements/{requirement.id}/activate")
    assert 'id="activate-added">120<' in first.text and len(_names(first.text)) == 50
    assert f'href="/admin/requirements/{requirement.id}/activate?page=2">Next page' in first.text
    last = client.get(f"/admin/requirements/{requirement.id}/activate?page=3")
    assert len(_names(last.text)) == 20 and "Previous page" in last.text and "Next page" not in last.text
    assert client.get(f"/admin/requirements/{requirement.id}/activate?page=abc").status_code == 422


def test_the_api_preview_is_paged(client: TestClient, db: Session) -> None:
    unit = _depot(db)
    item = make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    spec = {
        "name": "Fire safety",
        "item_ids": [item.id],
        "rules": [{"kind": "unit_tree", "org_unit_id": unit.id}],
        "due_kind": "after_assignment",
        "due_days": 30,
    }
    third = client.post("/api/v1/requirements/preview?page=3", json=spec, headers=admin)
    assert third.status_code == 200, third.text
    body = third.json()
    assert (body["added"], body["page"], body["pages"], len(body["people"])) == (120, 3, 3, 20)
    assert body["people"][0] == {
        "person_id": body["people"][0]["person_id"],
        "name": "Depot Worker 100",
        "change": "assigned",
        "due_on": body["people"][0]["due_on"],
        "overdue": False,
    }
    too_far = client.post("/api/v1/requirements/preview?page=100001", json=spec, headers=admin)
    assert too_far.status_code == 422 and "page" in too_far.text


@pytest.mark.parametrize("role", ["learner", "manager", "auditor"])
def test_only_admins_preview(client: TestClient, db: Session, role: str) -> None:
    unit = _depot(db)
    item = make_item(db)
    boss = make_person(db, name="Boss")
    make_person(db, name="Report", manager_id=boss.id)
    requirement = make_requirement(
        db, items=[item], rules=[{"kind": "unit_tree", "org_unit_id": unit.id}], activate=False
    )
    account = {
        "learner": lambda: make_account(db),
        "manager": lambda: make_account(db, boss),
        "auditor": lambda: make_account(db, auditor=True),
    }[role]()
    db.commit()
    login(client, account.email)
    token = csrf_from(client.get("/").text)
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    form = _form(token, unit.id, item.id)
    assert client.post("/admin/requirements/preview?page=2", data=form, headers=headers).status_code == 403
    assert client.get(f"/admin/requirements/{requirement.id}/activate?page=2").status_code == 403
    spec = {"name": "Fire safety", "item_ids": [item.id], "rules": [{"kind": "everyone"}], "due_days": 30}
    api = client.post("/api/v1/requirements/preview?page=2", json=spec, headers=bearer(db, account))
    assert api.status_code == 403, api.text
    assert client.get("/").status_code == 200  # still signed in: refused, not thrown out

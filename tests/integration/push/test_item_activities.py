"""A catalogue item's own xAPI activity IRIs (any scheme) count for it in the completion stream, and,
where the item says so, statements about their sub-activities (context parent or grouping) do too; the
API and the content page set them, for L&D admins only."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.catalog.activities import set_activities
from learnbridge.catalog.schemas import ItemActivitiesIn
from learnbridge.core.db import utcnow
from learnbridge.core.settings import Settings
from learnbridge.lrs.clients import create_client
from learnbridge.lrs.models import Statement
from learnbridge.push.xapi_completions import COMPLETED, apply_statements, completion_verbs
from learnbridge.records.models import Completion
from tests.factories import bearer, csrf_from, login, make_account, make_item, make_person

BASE = "https://lb.example.org"
VERBS = completion_verbs(Settings(base_url=BASE))
WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
ACTOR = {"mbox": "mailto:ada@example.org"}


def _statement(db: Session, activity: str, *, context: dict[str, Any] | None = None) -> Statement:
    client, _ = create_client(
        db, name=f"Tool {uuid.uuid4().hex[:6]}", home_page=BASE, counts_as_evidence=True
    )
    statement_id = str(uuid.uuid4())
    full: dict[str, Any] = {
        "id": statement_id,
        "actor": ACTOR,
        "verb": {"id": COMPLETED},
        "object": {"id": activity},
    }
    if context:
        full["context"] = context
    row = Statement(
        statement_id=statement_id,
        stored=utcnow(),
        timestamp=WHEN,
        actor_ifi="mbox:mailto:ada@example.org",
        verb_id=COMPLETED,
        object_type="Activity",
        object_activity_id=activity,
        version="1.0.3",
        full=json.dumps(full),
        client_id=client.id,
    )
    db.add(row)
    db.flush()
    return row


def _completed_items(db: Session, *statements: Statement) -> list[int]:
    apply_statements(db, statement_pks=[s.id for s in statements], base_url=BASE, verbs=VERBS)
    return sorted(db.scalars(select(Completion.item_id)))


def test_an_item_s_iris_of_any_scheme_count_for_it(db: Session) -> None:
    make_person(db, email="ada@example.org")
    storyline, rise = make_item(db), make_item(db)
    set_activities(
        db, item_id=storyline.id, data=ItemActivitiesIn(iris=["urn:articulate:storyline:5Ujw93Dh98n"])
    )
    set_activities(
        db,
        item_id=rise.id,
        data=ItemActivitiesIn(iris=["tag:rise.example,2026:course-7", "https://cdn.example/x"]),
    )
    found = _completed_items(
        db,
        _statement(db, "urn:articulate:storyline:5Ujw93Dh98n"),
        _statement(db, "tag:rise.example,2026:course-7"),
        _statement(db, "urn:unknown:thing"),
    )
    assert found == [storyline.id, rise.id]


def test_sub_activities_count_only_for_an_item_that_says_they_do(db: Session) -> None:
    make_person(db, email="ada@example.org")
    counting, strict = make_item(db), make_item(db)
    set_activities(db, item_id=counting.id, data=ItemActivitiesIn(iris=["urn:course:a"], sub_activities=True))
    set_activities(db, item_id=strict.id, data=ItemActivitiesIn(iris=["urn:course:b"]))
    parent = {"contextActivities": {"parent": [{"id": "urn:course:a"}]}}
    grouping = {"contextActivities": {"grouping": [{"id": "urn:other"}, {"id": "urn:course:a"}]}}
    ignored = {"contextActivities": {"parent": [{"id": "urn:course:b"}]}}
    found = _completed_items(
        db,
        _statement(db, "urn:course:a:lesson-1", context=parent),
        _statement(db, "urn:course:a:lesson-2", context=grouping),
        _statement(db, "urn:course:b:lesson-1", context=ignored),
    )
    assert found == [counting.id, counting.id]


def test_the_api_sets_them_for_admins_names_bad_iris_and_refuses_one_taken(
    client: TestClient, db: Session
) -> None:
    first, second = make_item(db), make_item(db)
    admin = bearer(db, make_account(db, ld_admin=True))
    learner = bearer(db, make_account(db, make_person(db)))
    auditor = bearer(db, make_account(db, auditor=True))
    db.commit()
    url = f"/api/v1/catalog/items/{first.id}/xapi-activities"
    body = {"iris": ["urn:x:1", " https://a.example/b ", "urn:x:1"], "sub_activities": True}
    assert client.put(url, json=body).status_code == 401
    assert client.put(url, json=body, headers=learner).status_code == 403
    assert client.put(url, json=body, headers=auditor).status_code == 403
    saved = client.put(url, json=body, headers=admin)
    assert saved.json() == {"iris": ["urn:x:1", "https://a.example/b"], "sub_activities": True}
    assert client.get(url, headers=auditor).json() == saved.json()
    assert client.get(url, headers=learner).status_code == 403
    bad = client.put(url, json={"iris": ["urn:x:1", "not an iri"]}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "iris.1"
    too_long = client.put(url, json={"iris": ["urn:" + "x" * 2100]}, headers=admin)
    assert too_long.status_code == 422
    taken = client.put(
        f"/api/v1/catalog/items/{second.id}/xapi-activities", json={"iris": ["urn:x:1"]}, headers=admin
    )
    assert taken.status_code == 409 and "urn:x:1" in taken.text
    assert client.put(url, json={"iris": []}, headers=admin).json() == {"iris": [], "sub_activities": False}
    assert client.get("/api/v1/catalog/items/999999/xapi-activities", headers=admin).status_code == 404


def test_the_content_page_saves_them(client: TestClient, db: Session) -> None:
    item = make_item(db)
    admin = make_account(db, ld_admin=True)
    db.commit()
    login(client, admin.email)
    token = csrf_from(client.get(f"/admin/catalog/{item.id}/content").text)
    saved = client.post(
        f"/admin/catalog/{item.id}/content/activities",
        data={"csrf_token": token, "iris": "urn:a:1\n\n  tag:b,2026:c  \n", "sub_activities": "true"},
    )
    assert "Saved: statements about these activities" in saved.text and "tag:b,2026:c" in saved.text
    bad = client.post(
        f"/admin/catalog/{item.id}/content/activities", data={"csrf_token": token, "iris": "no iri"}
    )
    assert bad.status_code == 422 and "iris" in bad.text

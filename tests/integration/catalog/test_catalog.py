"""Catalogue rules and API: drafts, publishing, skills, search on both databases, keyset paging."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemStatus
from learnbridge.catalog.schemas import ItemIn, SkillLevelIn
from learnbridge.catalog.service import ItemFilter, create_item, find_items, set_status, update_item
from learnbridge.core.errors import Invalid
from tests.factories import bearer, login, make_account, make_framework, make_item, make_person, make_skill


def titles(db: Session, **filters: object) -> list[str]:
    return [i.title for i in find_items(db, filters=ItemFilter(**filters), limit=100).items]  # type: ignore[arg-type]


def test_new_items_are_drafts_and_need_an_objective_to_publish(db: Session) -> None:
    item = create_item(db, data=ItemIn(title="No objectives yet"), owner_id=None)
    assert item.status == "draft"
    with pytest.raises(Invalid) as caught:
        set_status(db, item_id=item.id, status=ItemStatus.published)
    assert caught.value.errors[0].field == "objectives"


def test_skill_levels_must_be_on_the_framework_scale(db: Session) -> None:
    skill = make_skill(db, make_framework(db, levels=("One", "Two")))
    with pytest.raises(Invalid) as caught:
        create_item(
            db,
            data=ItemIn(title="Too high", skills=[SkillLevelIn(skill_id=skill.id, level=3)]),
            owner_id=None,
        )
    assert caught.value.errors[0].field == "skills[0].level"
    with pytest.raises(Invalid, match="no skill"):
        create_item(
            db, data=ItemIn(title="Ghost", skills=[SkillLevelIn(skill_id=999999, level=1)]), owner_id=None
        )


def test_search_ranks_title_matches_first_stems_and_matches_prefixes(db: Session) -> None:
    make_item(db, title="Forklift Operator Certification", summary="Drive safely.")
    make_item(db, title="Warehouse Basics", summary="Covers forklift awareness among other things.")
    make_item(db, title="Coaching Conversations", objectives=["Coach your team members"])
    assert titles(db, q="forklift") == ["Forklift Operator Certification", "Warehouse Basics"]
    assert titles(db, q="forkl") == ["Forklift Operator Certification", "Warehouse Basics"]
    assert titles(db, q="coaching team") == ["Coaching Conversations"]  # objectives are searched, stemmed
    assert titles(db, q='"); DROP TABLE x; --') == []


def test_drafts_are_not_found_by_learners(db: Session) -> None:
    make_item(db, title="Secret draft about forklifts", status=ItemStatus.draft)
    assert titles(db, q="forklifts") == []
    assert titles(db, q="forklifts", statuses=("draft",)) == ["Secret draft about forklifts"]


def test_browse_by_skill_and_format(db: Session) -> None:
    skill = make_skill(db)
    make_item(db, title="Taught", skills=[(skill, 1)], format="video")
    make_item(db, title="Not taught", format="video")
    assert titles(db, skill_id=skill.id) == ["Taught"]
    assert "Taught" in titles(db, format="video") and "Taught" not in titles(db, format="classroom")


@pytest.mark.parametrize("query", ["", "safety"])
def test_keyset_pages_cover_everything_once(db: Session, query: str) -> None:
    for n in range(23):
        make_item(db, title=f"Safety topic {n:02d}", summary="safety " * (n % 4 + 1))
    seen: list[int] = []
    cursor = None
    while True:
        page = find_items(db, filters=ItemFilter(q=query), cursor=cursor, limit=5)
        seen += [i.id for i in page.items]
        if page.next is None:
            break
        cursor = page.next
    assert len(seen) == len(set(seen)) >= 23


def test_api_lists_searches_and_pages(client: TestClient, db: Session) -> None:
    for n in range(3):
        make_item(db, title=f"Data protection part {n}")
    headers = bearer(db, make_account(db, make_person(db)))
    first = client.get(
        "/api/v1/catalog/items", params={"q": "data protection", "limit": 2}, headers=headers
    ).json()
    assert len(first["items"]) == 2 and first["next"]
    rest = client.get(
        "/api/v1/catalog/items", params={"q": "data protection", "cursor": first["next"]}, headers=headers
    )
    assert [i["title"] for i in rest.json()["items"]] == ["Data protection part 2"]
    assert (
        client.get("/api/v1/catalog/items", params={"cursor": "garbage"}, headers=headers).status_code == 422
    )


def test_api_create_validates_fields_by_name_and_publishes(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, ld_admin=True))
    bad = client.post("/api/v1/catalog/items", headers=headers, json={"title": "x", "cost": -1})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in bad.json()["errors"]} == {"title", "cost"}
    created = client.post(
        "/api/v1/catalog/items",
        headers=headers,
        json={"title": "Giving Feedback", "objectives": ["Give feedback"]},
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    item_id = created.json()["id"]
    published = client.patch(
        f"/api/v1/catalog/items/{item_id}", headers=headers, json={"status": "published"}
    )
    assert published.json()["status"] == "published" and published.json()["published_at"]


def test_learners_cannot_see_drafts_or_write(client: TestClient, db: Session) -> None:
    draft = make_item(db, status=ItemStatus.draft)
    headers = bearer(db, make_account(db, make_person(db)))
    assert client.get(f"/api/v1/catalog/items/{draft.id}", headers=headers).status_code == 404
    response = client.post(
        "/api/v1/catalog/items", headers=headers, json={"title": "Mine", "objectives": ["x"]}
    )
    assert response.status_code == 403


def test_pathway_steps_must_exist_and_belong_to_a_pathway(db: Session) -> None:
    step = make_item(db)
    with pytest.raises(Invalid, match="only a pathway"):
        create_item(db, data=ItemIn(title="Course with steps", steps=[step.id]), owner_id=None)
    pathway = create_item(db, data=ItemIn(title="Path", kind="pathway", steps=[step.id]), owner_id=None)
    assert [s.item_id for s in pathway.steps] == [step.id]


def test_openapi_describes_the_catalogue(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/catalog/items" in spec["paths"]
    assert "q" in {p["name"] for p in spec["paths"]["/api/v1/catalog/items"]["get"]["parameters"]}


def test_api_shows_a_pathways_steps_in_order(client: TestClient, db: Session) -> None:
    first, second = make_item(db), make_item(db)
    pathway = create_item(
        db, data=ItemIn(title="Path", kind="pathway", steps=[second.id, first.id]), owner_id=None
    )
    headers = bearer(db, make_account(db, ld_admin=True))
    assert client.get(f"/api/v1/catalog/items/{pathway.id}", headers=headers).json()["steps"] == [
        second.id,
        first.id,
    ]
    assert client.get(f"/api/v1/catalog/items/{first.id}", headers=headers).json()["steps"] == []


def test_patch_cannot_leave_a_published_item_without_objectives(client: TestClient, db: Session) -> None:
    item = make_item(db)
    headers = bearer(db, make_account(db, ld_admin=True))
    emptied = client.patch(f"/api/v1/catalog/items/{item.id}", headers=headers, json={"objectives": []})
    assert emptied.status_code == 422 and emptied.json()["errors"][0]["field"] == "objectives"
    huge = client.patch(f"/api/v1/catalog/items/{item.id}", headers=headers, json={"summary": "x" * 5001})
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "summary"


def test_pathways_are_one_level_deep(db: Session) -> None:
    step = make_item(db)
    inner = create_item(db, data=ItemIn(title="Inner", kind="pathway", steps=[step.id]), owner_id=None)
    with pytest.raises(Invalid, match="are pathways"):
        create_item(db, data=ItemIn(title="Outer", kind="pathway", steps=[inner.id]), owner_id=None)
    with pytest.raises(Invalid, match="step of a pathway"):
        update_item(db, item_id=step.id, data=ItemIn(title="Now a pathway", kind="pathway"))
    with pytest.raises(Invalid, match="cannot contain itself"):
        update_item(db, item_id=inner.id, data=ItemIn(title="Inner", kind="pathway", steps=[inner.id]))


def test_learners_do_not_see_draft_steps_of_a_pathway(client: TestClient, db: Session) -> None:
    shown, hidden = (
        make_item(db, title="Shown step"),
        make_item(db, title="Hidden step", status=ItemStatus.draft),
    )
    pathway = make_item(db, title="The path", kind="pathway", steps=[shown.id, hidden.id])
    learner = make_account(db, make_person(db))
    steps = client.get(f"/api/v1/catalog/items/{pathway.id}", headers=bearer(db, learner)).json()["steps"]
    assert steps == [shown.id]
    admin_steps = client.get(
        f"/api/v1/catalog/items/{pathway.id}", headers=bearer(db, make_account(db, ld_admin=True))
    )
    assert admin_steps.json()["steps"] == [shown.id, hidden.id]
    login(client, learner.email)
    page = client.get(f"/catalog/{pathway.id}").text
    assert "Shown step" in page and "Hidden step" not in page


@pytest.mark.parametrize(
    "query",
    [
        "forklift:*",
        "(forklift)",
        "forklift | operator",
        "'forklift' & \"operator\"",
        "-forklift",
        "forklift*",
    ],
)
def test_search_syntax_typed_by_people_is_just_words(db: Session, query: str) -> None:
    make_item(db, title="Forklift Operator Certification")
    make_item(db, title="Coaching Basics")
    assert titles(db, q=query) == ["Forklift Operator Certification"]

"""Who sees whom: learner themself, manager their reports' subtree, admin and auditor everyone."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Role, can_view_person, principal_for
from tests.factories import bearer, make_account, make_person


def org(db: Session) -> dict[str, object]:
    boss = make_person(db, name="Boss")
    lead = make_person(db, name="Lead", manager_id=boss.id)
    worker = make_person(db, name="Worker", manager_id=lead.id)
    other = make_person(db, name="Other")
    return {"boss": boss, "lead": lead, "worker": worker, "other": other}


def test_roles_are_derived_and_granted(db: Session) -> None:
    people = org(db)
    assert principal_for(db, make_account(db, people["boss"])).roles == {Role.learner, Role.manager}  # type: ignore[arg-type]
    assert principal_for(db, make_account(db, people["worker"])).roles == {Role.learner}  # type: ignore[arg-type]
    assert principal_for(db, make_account(db, ld_admin=True)).roles == {Role.ld_admin}
    assert principal_for(db, make_account(db, auditor=True)).roles == {Role.auditor}


def test_visibility_follows_the_management_chain(db: Session) -> None:
    p = org(db)
    ids = {name: person.id for name, person in p.items()}  # type: ignore[attr-defined]
    boss = principal_for(db, make_account(db, p["boss"]))  # type: ignore[arg-type]
    worker = principal_for(db, make_account(db, p["worker"]))  # type: ignore[arg-type]
    auditor = principal_for(db, make_account(db, auditor=True))
    assert {n for n, i in ids.items() if can_view_person(db, boss, i)} == {"boss", "lead", "worker"}
    assert {n for n, i in ids.items() if can_view_person(db, worker, i)} == {"worker"}
    assert {n for n, i in ids.items() if can_view_person(db, auditor, i)} == set(ids)


def test_people_api_lists_only_what_the_caller_may_see(client: TestClient, db: Session) -> None:
    p = org(db)
    lead_token = bearer(db, make_account(db, p["lead"]))  # type: ignore[arg-type]
    names = [x["name"] for x in client.get("/api/v1/people", headers=lead_token).json()["items"]]
    assert names == ["Lead", "Worker"]
    other_id = p["other"].id  # type: ignore[attr-defined]
    assert client.get(f"/api/v1/people/{other_id}", headers=lead_token).status_code == 404


def test_auditors_read_everything_and_change_nothing(client: TestClient, db: Session) -> None:
    org(db)
    headers = bearer(db, make_account(db, auditor=True))
    assert len(client.get("/api/v1/people", headers=headers).json()["items"]) >= 4
    create = client.post(
        "/api/v1/catalog/items", headers=headers, json={"title": "Nope", "objectives": ["x"]}
    )
    assert create.status_code == 403
    upload = client.post("/api/v1/people/import", headers=headers, content=b"external_id,name\nE1,A\n")
    assert upload.status_code == 403
    assert client.get("/admin/catalog/new", headers=headers).status_code == 403


def test_pages_refuse_roles_that_lack_them(client: TestClient, db: Session) -> None:
    from tests.factories import login

    p = org(db)
    login(client, make_account(db, p["worker"]).email)  # type: ignore[arg-type]
    for path in ("/team", "/people", "/admin/catalog", "/admin/people/import", "/admin/skills/import"):
        assert client.get(path).status_code == 403, path

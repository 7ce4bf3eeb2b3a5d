"""A person's statements through /api/v1: the person, their managers, admins and auditors; nobody else."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.lrs.clients import create_client
from learnbridge.lrs.statements import store_statements
from learnbridge.lrs.validate import validate_statement
from learnbridge.people.service import add_identifier
from tests.factories import bearer, make_account, make_person

BASE = "http://testserver"  # the test app's base_url is its default; only mbox actors are used here


def _say(db: Session, actor: dict[str, object], verb: str) -> None:
    client, _ = create_client(db, name=f"tool {verb}", home_page=BASE)
    statement = {"actor": actor, "verb": {"id": f"http://example.com/verbs/{verb}"},
                 "object": {"id": "http://example.com/activities/forklift"}}  # fmt: skip
    store_statements(
        db, statements=[validate_statement(statement, version="1.0.3")], client=client, version="1.0.3"
    )


def test_people_read_their_own_statements_managers_their_reports_admins_all(
    client: TestClient, db: Session
) -> None:
    boss = make_person(db)
    person = make_person(db, manager_id=boss.id)
    assert person.email
    _say(db, {"mbox": f"mailto:{person.email}"}, "attempted")
    _say(db, {"mbox": f"mailto:{person.email}"}, "completed")
    sha1 = hashlib.sha1(f"mailto:{person.email}".encode()).hexdigest()  # noqa: S324
    _say(db, {"mbox_sha1sum": sha1}, "passed")
    _say(db, {"mbox": "mailto:someone.else@example.com"}, "failed")
    db.flush()

    own = bearer(db, make_account(db, person))
    mine = client.get("/api/v1/me/statements?limit=2", headers=own).json()
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in mine["statements"]] == ["passed", "completed"]
    url = f"/api/v1/people/{person.id}/statements"
    rest = client.get("/api/v1/me/statements", params={"cursor": mine["next"]}, headers=own)
    assert rest.status_code == 200, rest.text
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in rest.json()["statements"]] == ["attempted"], rest.text
    for reader in (make_account(db, boss), make_account(db, ld_admin=True), make_account(db, auditor=True)):
        assert len(client.get(url, headers=bearer(db, reader)).json()["statements"]) == 3
    stranger = make_account(db, make_person(db))
    assert client.get(url, headers=bearer(db, stranger)).status_code == 404


def test_a_persons_statements_include_those_naming_them_by_a_recorded_identifier(
    client: TestClient, db: Session
) -> None:
    person = make_person(db)
    foreign = {"homePage": "https://lms.partner.example", "name": "u-42"}
    add_identifier(db, person=person, identifier={"account": foreign})
    add_identifier(db, person=person, identifier={"openid": "https://id.example.net/u42"})
    _say(db, {"account": foreign}, "launched")
    _say(db, {"openid": "https://id.example.net/u42"}, "initialized")
    _say(db, {"account": {**foreign, "name": "u-43"}}, "failed")
    db.flush()
    mine = client.get("/api/v1/me/statements", headers=bearer(db, make_account(db, person))).json()
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in mine["statements"]] == ["initialized", "launched"]

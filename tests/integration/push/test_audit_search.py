"""The audit trail searched by person (name, e-mail or HR ID) and by actor (who made the change), on
the page, the API and both CSV exports: bounded input, 4xx naming the field, auditors and L&D admins
only, and formula cells still neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.people.models import Person
from learnbridge.push import audit
from learnbridge.push.audit import Actor
from learnbridge.push.models import AuditAction
from tests.factories import bearer, login, make_account, make_person


def _trail(db: Session) -> tuple[Person, Person]:
    ada = make_person(db, name="Ada Lovelace", email="ada@example.org", external_id="HR-ADA")
    bob = make_person(db, name="Bob Stone", email="bob@example.org", external_id="HR-BOB")
    ops = Actor(label="ops.lead@example.org")
    feed = Actor.system("HR feed")
    audit.record(db, actor=ops, action=AuditAction.exempted, person_id=ada.id, reason="on leave 100%")
    audit.record(db, actor=feed, action=AuditAction.assigned, person_id=ada.id)
    audit.record(db, actor=feed, action=AuditAction.assigned, person_id=bob.id)
    formula = Actor(label='=HYPERLINK("http://evil.example","x")')
    audit.record(db, actor=formula, action=AuditAction.assigned, person_id=bob.id, detail="+SUM(1)")
    return ada, bob


def _api(client: TestClient, headers: dict[str, str], **params: str) -> list[tuple[str, int | None, str]]:
    response = client.get("/api/v1/audit", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [(e["actor"], e["person_id"], e["action"]) for e in response.json()["items"]]


def test_the_api_finds_rows_by_person_and_by_actor(client: TestClient, db: Session) -> None:
    ada, bob = _trail(db)
    auditor = bearer(db, make_account(db, auditor=True))
    by_name = _api(client, auditor, person_search="lovelace")
    assert by_name == [("system (HR feed)", ada.id, "assigned"), ("ops.lead@example.org", ada.id, "exempted")]
    assert _api(client, auditor, person_search="BOB@example") == _api(client, auditor, person=str(bob.id))
    assert {p for _, p, _ in _api(client, auditor, person_search="HR-BOB")} == {bob.id}
    # An HR ID matches whole, not in part: "HR-" is no one's.
    assert _api(client, auditor, person_search="HR-") == []
    assert _api(client, auditor, actor="OPS.LEAD") == [("ops.lead@example.org", ada.id, "exempted")]
    assert {p for _, p, _ in _api(client, auditor, actor="hr feed", person_search="Stone")} == {bob.id}
    # LIKE's wildcards are matched as written.
    assert _api(client, auditor, actor="%") == [] and _api(client, auditor, actor="ops_lead") == []


def test_the_page_searches_and_its_export_keeps_the_search_and_neutralises_formulas(
    client: TestClient, db: Session
) -> None:
    _trail(db)
    login(client, make_account(db, auditor=True).email)
    page = client.get("/audit", params={"person_search": "Stone", "actor": "HYPERLINK"})
    assert page.status_code == 200
    assert "Bob Stone" in page.text and "Ada Lovelace" not in page.text
    assert 'value="Stone"' in page.text and "person_search=Stone" in page.text
    assert "actor=ops.lead%40example.org" in client.get("/audit").text  # each actor links to its rows
    for url in ("/audit.csv", "/api/v1/audit.csv"):
        exported = client.get(url, params={"person_search": "Stone", "actor": "HYPERLINK"})
        assert exported.status_code == 200
        [header, row] = list(csv.reader(io.StringIO(exported.text)))
        cells = dict(zip(header, row, strict=True))
        assert cells["actor"] == '\'=HYPERLINK("http://evil.example","x")' and cells["detail"] == "'+SUM(1)"
        assert cells["person"] == "Bob Stone"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"actor": "x" * 255}, "actor"),
        ({"person_search": "y" * 255}, "person_search"),
        ({"actor": "ops\x00lead"}, "actor"),
        ({"person_search": "Ada\nLovelace"}, "person_search"),
    ],
)
def test_bad_searches_are_refused_naming_the_field(
    client: TestClient, db: Session, params: dict[str, str], field: str
) -> None:
    account = make_account(db, auditor=True)
    for url in ("/api/v1/audit", "/api/v1/audit.csv"):
        response = client.get(url, params=params, headers=bearer(db, account))
        assert response.status_code == 422 and field in response.text, (url, response.text)
    login(client, account.email)
    for url in ("/audit", "/audit.csv"):
        response = client.get(url, params=params)
        assert response.status_code == 422 and field in response.text, (url, response.text)


def test_the_page_refuses_an_unknown_action_instead_of_showing_every_row(
    client: TestClient, db: Session
) -> None:
    login(client, make_account(db, auditor=True).email)
    response = client.get("/audit", params={"action": "nonsense"})
    assert response.status_code == 422 and "action" in response.text


@pytest.mark.parametrize(
    ("role", "allowed"), [("auditor", True), ("ld_admin", True), ("manager", False), ("learner", False)]
)
def test_only_auditors_and_ld_admins_search_the_trail(
    client: TestClient, db: Session, role: str, allowed: bool
) -> None:
    _trail(db)
    person = make_person(db)
    if role == "manager":
        make_person(db, manager_id=person.id)
    account = make_account(db, person, auditor=role == "auditor", ld_admin=role == "ld_admin")
    headers = bearer(db, account)
    expected = 200 if allowed else 403
    params = {"person_search": "Ada", "actor": "ops"}
    for url in ("/api/v1/audit", "/api/v1/audit.csv"):
        assert client.get(url, params=params, headers=headers).status_code == expected
    login(client, account.email)
    for url in ("/audit", "/audit.csv"):
        response = client.get(url, params=params)
        assert response.status_code == expected
        assert ("Lovelace" in response.text) is allowed

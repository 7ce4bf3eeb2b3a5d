"""What the OpenAPI document promises and the API keeps: every operation documents its error answers
as problem JSON and the bearer token it needs; 405 names the allowed methods; a date is written as a
date (0 is not 1 January 1970); an unknown query parameter is refused; a broken reference is 422;
schema names and operation ids are unique and readable, as generated clients need them."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_account, make_person

PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
# A schema name is a class name: two Pydantic classes of one name come out as `learnbridge__push__...`
# or `...-Input`, which generated clients turn into unusable type names.
SCHEMA_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def test_every_operation_documents_its_errors_as_problem_json_and_its_token(app: FastAPI) -> None:
    document = app.openapi()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    operations = [(p, m, op) for p, ops in document["paths"].items() for m, op in ops.items()]
    assert len(operations) > 80
    for path, method, operation in operations:
        assert path.startswith("/api/v1/"), path
        assert operation["security"] == [{"bearer": []}], (method, path)
        for status in ("400", "401", "403", "404", "409", "413", "422", "503"):
            answer = operation["responses"][status]
            assert answer["content"] == {"application/problem+json": {"schema": PROBLEM_SCHEMA}}, (
                method,
                path,
            )
        assert "Retry-After" in operation["responses"]["503"]["headers"]
    assert {"type", "title", "status", "detail"} <= set(
        document["components"]["schemas"]["Problem"]["required"]
    )


def test_every_schema_has_a_plain_class_name(app: FastAPI) -> None:
    names = list(app.openapi()["components"]["schemas"])
    assert len(names) > 80
    mangled = [name for name in names if not SCHEMA_NAME.match(name)]
    assert mangled == []


def test_every_operation_id_is_unique_and_names_what_the_operation_does(app: FastAPI) -> None:
    document = app.openapi()
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) > 80
    assert [i for i, count in Counter(ids).items() if count > 1] == []
    assert [i for i in ids if not OPERATION_ID.match(i) or "api_v1" in i] == []
    assert {"get_me", "list_requirements", "create_requirement", "list_my_plans"} <= set(ids)


def test_a_method_the_path_does_not_have_is_405_naming_those_it_has(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, make_person(db)))
    response = client.delete("/api/v1/me", headers=headers)
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert response.headers["content-type"] == "application/problem+json"
    items = client.delete("/api/v1/catalog/items", headers=headers)
    assert items.status_code == 405 and set(items.headers["allow"].split(", ")) == {"GET", "POST"}


def test_a_date_is_written_as_a_date(client: TestClient, db: Session) -> None:
    boss = make_person(db)
    report = make_person(db, manager_id=boss.id)
    manager = bearer(db, make_account(db, boss))
    soon = (dt.date.today() + dt.timedelta(days=9)).isoformat()
    for due in (0, "0", 1767225600, "1767225600", "2026-13-01", "01/03/2026"):
        body = {"item_id": 1, "person_ids": [report.id], "due_on": due, "reason": "Because"}
        refused = client.post("/api/v1/team/assignments", json=body, headers=manager)
        assert refused.status_code == 422, due
        assert [e["field"] for e in refused.json()["errors"]] == ["due_on"], due
    auditor = bearer(db, make_account(db, auditor=True))
    for since in ("0", "1700000000", "yesterday"):
        refused = client.get("/api/v1/audit", params={"since": since}, headers=auditor)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "since"
    assert client.get("/api/v1/audit", params={"since": soon}, headers=auditor).status_code == 200
    admin = bearer(db, make_account(db, ld_admin=True))
    naive = {"person_id": report.id, "item_id": 1, "completed_at": "2026-03-01T09:30:00"}
    refused = client.post("/api/v1/completions", json=naive, headers=admin)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "completed_at"
    assert "2026-03-01T09:30:00Z" in refused.json()["errors"][0]["message"]


def test_an_unknown_query_parameter_is_refused_naming_it(client: TestClient, db: Session) -> None:
    headers = bearer(db, make_account(db, make_person(db)))
    response = client.get(
        "/api/v1/me/assignments", params={"include_closed": "true", "includ_closed": "1"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "includ_closed", "message": "is not a parameter of this operation"}
    ]
    assert (
        client.get("/api/v1/me/assignments", params={"include_closed": "true"}, headers=headers).status_code
        == 200
    )


def test_a_reference_to_nothing_is_422_naming_the_field(client: TestClient, db: Session) -> None:
    admin = bearer(db, make_account(db, make_person(db), ld_admin=True))
    body = {"title": "Owned by nobody", "objectives": ["Do it"], "owner_id": 987654}
    response = client.post("/api/v1/catalog/items", json=body, headers=admin)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "owner_id"
    assert client.get("/api/v1/me", headers=admin).status_code == 200  # the session carries on

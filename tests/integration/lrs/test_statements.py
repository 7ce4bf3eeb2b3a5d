"""The Statement resource: storing (single, batch, PUT), conflicts, voiding, auth and versions."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.jobs import Job
from learnbridge.lrs.models import Statement
from tests.helpers.lrs import VOIDED, get, lrs_headers, post, statement


@pytest.fixture
def headers(db: Session) -> dict[str, str]:
    return lrs_headers(db)


def test_post_assigns_id_and_sets_stored_authority_version(
    client: TestClient, headers: dict[str, str]
) -> None:
    [sid] = post(client, headers, statement())
    response = client.get("/xapi/statements", params={"statementId": sid}, headers=headers)
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    assert "X-Experience-API-Consistent-Through" in response.headers and "Last-Modified" in response.headers
    stored = response.json()
    assert stored["id"] == sid and stored["version"] == "1.0.0"
    assert stored["authority"]["account"]["homePage"] == "http://lms.example"
    assert stored["timestamp"] == stored["stored"]


def test_stored_is_strictly_increasing_and_a_job_is_queued(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    ids = post(client, headers, [statement(), statement(), statement()])
    ids += post(client, headers, statement())
    rows = list(db.scalars(select(Statement).where(Statement.statement_id.in_(ids)).order_by(Statement.id)))
    assert [r.statement_id for r in rows] == ids
    assert all(a.stored < b.stored for a, b in itertools.pairwise(rows))
    jobs = db.scalars(select(Job).where(Job.kind == "records.statements_stored")).all()
    assert sorted(pk for job in jobs for pk in job.payload["ids"]) == [r.id for r in rows]


def test_a_batch_is_all_or_nothing_and_the_error_names_the_property(
    client: TestClient, headers: dict[str, str]
) -> None:
    bad = statement()
    del bad["verb"]
    response = client.post(
        "/xapi/statements", json=[statement(actor="zed@example.com"), bad], headers=headers
    )
    assert response.status_code == 400
    assert "verb" in response.json()["error"]
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    agent = '{"mbox": "mailto:zed@example.com"}'
    assert get(client, headers, agent=agent)["statements"] == []


def test_put_stores_under_the_given_id(client: TestClient, headers: dict[str, str]) -> None:
    sid = str(uuid.uuid4())
    response = client.put("/xapi/statements", params={"statementId": sid}, json=statement(), headers=headers)
    assert response.status_code == 204, response.text
    assert get(client, headers, statementId=sid)["id"] == sid
    other = client.put(
        "/xapi/statements",
        params={"statementId": str(uuid.uuid4())},
        json=statement(id=str(uuid.uuid4())),
        headers=headers,
    )
    assert other.status_code == 400 and "id" in other.json()["error"]
    missing = client.put("/xapi/statements", json=statement(), headers=headers)
    assert missing.status_code == 400 and "statementId" in missing.json()["error"]


def test_same_id_same_statement_is_accepted_once_and_a_different_one_conflicts(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    sid = str(uuid.uuid4())
    first = statement(id=sid, timestamp="2026-11-30T10:00:00Z")
    post(client, headers, first)
    # The same instant written differently is the same statement (Part 2, 2.5).
    again = statement(id=sid, timestamp="2026-11-30T11:00:00.000+01:00")
    assert post(client, headers, again) == [sid]
    assert len(db.scalars(select(Statement).where(Statement.statement_id == sid)).all()) == 1
    changed = client.post("/xapi/statements", json=statement(id=sid, verb="http://ex.com/v"), headers=headers)
    assert changed.status_code == 409 and "id" in changed.json()["error"]
    put = client.put("/xapi/statements", params={"statementId": sid}, json=statement(verb="http://ex.com/v"),
                     headers=headers)  # fmt: skip
    assert put.status_code == 409


def test_duplicate_ids_in_one_batch_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    sid = str(uuid.uuid4())
    response = client.post("/xapi/statements", json=[statement(id=sid), statement(id=sid)], headers=headers)
    assert response.status_code == 400 and "id" in response.json()["error"]


def voiding(target: str, actor: str = "vic@example.com") -> dict[str, Any]:
    return statement(actor=actor, verb=VOIDED, object={"objectType": "StatementRef", "id": target})


def test_voiding_hides_the_target_except_by_voided_statement_id(
    client: TestClient, headers: dict[str, str]
) -> None:
    [target] = post(client, headers, statement(actor="vic@example.com"))
    [voider] = post(client, headers, voiding(target))
    gone = client.get("/xapi/statements", params={"statementId": target}, headers=headers)
    assert gone.status_code == 404
    assert get(client, headers, voidedStatementId=target)["id"] == target
    assert (
        client.get("/xapi/statements", params={"voidedStatementId": voider}, headers=headers).status_code
        == 404
    )
    found = [s["id"] for s in get(client, headers, agent='{"mbox": "mailto:vic@example.com"}')["statements"]]
    # The voided statement is left out; the voiding statement (same actor) still comes back.
    assert found == [voider]
    refused = client.post("/xapi/statements", json=voiding(voider), headers=headers)
    assert refused.status_code == 400 and "object" in refused.json()["error"]


def test_credentials_scopes_and_versions(client: TestClient, db: Session) -> None:
    good = lrs_headers(db)
    assert client.get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.3"}).status_code == 401
    wrong = {**good, "Authorization": good["Authorization"][:-2] + "xx"}
    denied = client.get("/xapi/statements", headers=wrong)
    assert denied.status_code == 401 and denied.json()["error"].startswith("Authorization")
    assert denied.headers["X-Experience-API-Version"] == "1.0.3"
    state_only = lrs_headers(db, scopes=["state"], name="State only")
    assert client.get("/xapi/statements", headers=state_only).status_code == 403
    reader = lrs_headers(db, scopes=["statements/read"], name="Reader")
    forbidden = client.post("/xapi/statements", json=statement(), headers=reader)
    assert forbidden.status_code == 403 and "scope" in forbidden.json()["error"]
    no_version = client.get("/xapi/statements", headers={"Authorization": good["Authorization"]})
    assert no_version.status_code == 400 and "X-Experience-API-Version" in no_version.json()["error"]
    old = client.get("/xapi/statements", headers={**good, "X-Experience-API-Version": "0.95"})
    assert old.status_code == 400
    v2 = client.get("/xapi/statements", headers={**good, "X-Experience-API-Version": "2.0.0"})
    assert v2.status_code == 200 and v2.headers["X-Experience-API-Version"] == "2.0.0"
    about = client.get("/xapi/about")
    assert about.status_code == 200 and "1.0.3" in about.json()["version"]


def test_read_mine_sees_only_its_own_statements(client: TestClient, db: Session) -> None:
    writer, other = lrs_headers(db, name="Writer"), lrs_headers(db, name="Other")
    mine_only = lrs_headers(db, scopes=["statements/read/mine", "statements/write"], name="Mine")
    post(client, writer, statement(actor="w@example.com"))
    [own] = post(client, mine_only, statement(actor="m@example.com"))
    assert [s["id"] for s in get(client, mine_only)["statements"]] == [own]
    assert len(get(client, other)["statements"]) >= 2


def test_head_answers_headers_without_a_body(client: TestClient, headers: dict[str, str]) -> None:
    [sid] = post(client, headers, statement())
    response = client.head("/xapi/statements", params={"statementId": sid}, headers=headers)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["X-Experience-API-Version"] == "1.0.3" and "Last-Modified" in response.headers


def test_alternate_request_syntax_puts_and_gets(client: TestClient, headers: dict[str, str]) -> None:
    sid = str(uuid.uuid4())
    form = {
        **headers,
        "Content-Type": "application/json",
        "statementId": sid,
        "content": json.dumps(statement()),
    }
    put = client.post("/xapi/statements", params={"method": "PUT"}, data=form)
    assert put.status_code == 204, put.text
    got = client.post("/xapi/statements", params={"method": "GET"}, data={**headers, "statementId": sid})
    assert got.status_code == 200 and got.json()["id"] == sid
    unauthorised = client.post("/xapi/statements", params={"method": "GET"}, data={"statementId": sid,
                               "X-Experience-API-Version": "1.0.3"})  # fmt: skip
    assert unauthorised.status_code == 401
    extra = client.post("/xapi/statements", params={"method": "GET", "statementId": sid}, data=headers)
    assert extra.status_code == 400 and "method" in extra.json()["error"]


def test_alternate_syntax_takes_real_headers_too_and_needs_a_content_field(
    client: TestClient, headers: dict[str, str]
) -> None:
    # As the ADL suite sends it: credentials and version as real headers, only the request in the form.
    listed = client.post("/xapi/statements", params={"method": "GET"}, data={"limit": "1"}, headers=headers)
    assert listed.status_code == 200 and {"statements", "more"} <= set(listed.json())
    sid = str(uuid.uuid4())
    form = {"statementId": sid, "content": json.dumps(statement())}
    put = client.post("/xapi/statements", params={"method": "PUT"}, data=form, headers=headers)
    assert put.status_code == 204, put.text
    empty = client.post(
        "/xapi/statements", params={"method": "PUT"}, data={"statementId": sid}, headers=headers
    )
    assert empty.status_code == 400 and "content" in empty.json()["error"]


def test_xapi_2_has_no_alternate_request_syntax(client: TestClient, headers: dict[str, str]) -> None:
    two = {**headers, "X-Experience-API-Version": "2.0.0"}
    refused = client.post("/xapi/statements", params={"method": "GET"}, data={"limit": "1"}, headers=two)
    assert refused.status_code == 400 and "2.0" in refused.json()["error"]


def test_an_alternate_syntax_form_sent_by_put_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    """The alternate syntax is a POST: its form sent by PUT is a 400 (ADL suite, Communication 1.3), in
    both versions, though such a request's credentials are not read before its body."""
    form = {"content": json.dumps(statement())}
    for version in ("1.0.3", "2.0.0"):
        sent = {**headers, "X-Experience-API-Version": version}
        put = client.put("/xapi/statements", params={"method": "POST"}, data=form, headers=sent)
        assert put.status_code == 400, put.text


def test_the_stored_text_gets_stored_once_and_keeps_a_timestamp_sent(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """The text is made before the writers' lock and `stored` added under it: a client's own `stored` is
    replaced, never doubled, and a timestamp the client sent is kept."""
    sent = statement(timestamp="2026-01-02T03:04:05.000Z")
    sent["stored"] = "1999-01-01T00:00:00.000Z"
    [sid] = post(client, headers, [sent])
    full = db.scalar(select(Statement.full).where(Statement.statement_id == sid))
    assert full is not None and full.count('"stored":') == 1
    kept = json.loads(full)
    assert kept["timestamp"] == "2026-01-02T03:04:05.000Z" and kept["stored"] != "1999-01-01T00:00:00.000Z"
    assert (
        kept["stored"].startswith("20") and kept["authority"]["account"]["homePage"] == "http://lms.example"
    )

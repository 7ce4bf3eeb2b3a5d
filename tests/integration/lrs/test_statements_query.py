"""GET /xapi/statements: each filter really filters, `more` pages stay stable while statements arrive,
formats, attachments and the parameter checks."""

from __future__ import annotations

import hashlib
import json
import uuid
from email import message_from_bytes, policy

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.helpers.lrs import get, lrs_headers, post, statement


@pytest.fixture
def headers(db: Session) -> dict[str, str]:
    return lrs_headers(db)


def ids(client: TestClient, headers: dict[str, str], **params: str) -> list[str]:
    return [s["id"] for s in get(client, headers, **params)["statements"]]


def agent(email: str) -> str:
    return json.dumps({"objectType": "Agent", "mbox": f"mailto:{email}"})


def test_agent_verb_activity_and_registration_each_filter(
    client: TestClient, headers: dict[str, str]
) -> None:
    registration = str(uuid.uuid4())
    base = statement(actor="q1@example.com", activity="http://example.com/q/1")
    [plain] = post(client, headers, base)
    [by_other] = post(client, headers, {**base, "actor": {"mbox": "mailto:q2@example.com"}})
    [other_verb] = post(client, headers, {**base, "verb": {"id": "http://example.com/verbs/tried"}})
    [other_activity] = post(client, headers, {**base, "object": {"id": "http://example.com/q/2"}})
    [registered] = post(client, headers, {**base, "context": {"registration": registration}})
    everyone = {plain, other_verb, other_activity, registered}
    assert set(ids(client, headers, agent=agent("q1@example.com"))) == everyone
    assert ids(client, headers, agent=agent("q2@example.com")) == [by_other]
    tried = ids(client, headers, verb="http://example.com/verbs/tried")
    assert tried == [other_verb]
    assert ids(client, headers, activity="http://example.com/q/2") == [other_activity]
    assert ids(client, headers, registration=registration) == [registered]
    both = ids(client, headers, agent=agent("q1@example.com"), activity="http://example.com/q/1",
               verb=base["verb"]["id"])  # fmt: skip
    assert set(both) == {plain, registered}


def test_related_activities_and_related_agents(client: TestClient, headers: dict[str, str]) -> None:
    parent = "http://example.com/r/parent"
    context = {
        "contextActivities": {"parent": [{"id": parent}]},
        "instructor": {"mbox": "mailto:teach@example.com"},
    }
    [related] = post(client, headers, statement(actor="r1@example.com", activity="http://example.com/r/1",
                                                context=context))  # fmt: skip
    [direct] = post(client, headers, statement(actor="r2@example.com", activity=parent))
    assert ids(client, headers, activity=parent) == [direct]
    assert set(ids(client, headers, activity=parent, related_activities="true")) == {related, direct}
    assert ids(client, headers, agent=agent("teach@example.com")) == []
    assert ids(client, headers, agent=agent("teach@example.com"), related_agents="true") == [related]


def test_since_until_ascending_and_limit(client: TestClient, headers: dict[str, str]) -> None:
    actor = agent("t@example.com")
    first, second, third = (post(client, headers, statement(actor="t@example.com"))[0] for _ in range(3))
    stored = {s["id"]: s["stored"] for s in get(client, headers, agent=actor)["statements"]}
    assert ids(client, headers, agent=actor) == [third, second, first]
    assert ids(client, headers, agent=actor, ascending="true") == [first, second, third]
    assert ids(client, headers, agent=actor, since=stored[first]) == [third, second]
    assert ids(client, headers, agent=actor, until=stored[second]) == [second, first]
    assert ids(client, headers, agent=actor, since=stored[first], until=stored[second]) == [second]
    assert ids(client, headers, agent=actor, limit="1") == [third]


def test_more_pages_stay_stable_while_statements_arrive(client: TestClient, headers: dict[str, str]) -> None:
    actor = agent("p@example.com")
    made = [post(client, headers, statement(actor="p@example.com"))[0] for _ in range(5)]
    page = get(client, headers, agent=actor, limit="2")
    seen = [s["id"] for s in page["statements"]]
    post(client, headers, statement(actor="p@example.com"))  # arrives between pages
    while page["more"]:
        assert page["more"].startswith("/xapi/statements?more=")
        response = client.get(page["more"], headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["statements"]) <= 2
        seen += [s["id"] for s in page["statements"]]
    assert seen == list(reversed(made))


def test_formats(client: TestClient, headers: dict[str, str]) -> None:
    [sid] = post(client, headers, statement(actor="f@example.com"))
    only_ids = get(client, headers, statementId=sid, format="ids")
    assert only_ids["verb"] == {"id": statement()["verb"]["id"]}
    assert get(client, headers, statementId=sid, format="exact")["verb"]["display"] == {"en-US": "completed"}


def test_bad_parameters_name_themselves(client: TestClient, headers: dict[str, str]) -> None:
    cases = {
        "colour": {"colour": "red"},
        "format": {"format": "pretty"},
        "limit": {"limit": "-1"},
        "ascending": {"ascending": "yes"},
        "agent": {"agent": "not json"},
        "statementId": {"statementId": str(uuid.uuid4()), "verb": "http://example.com/v"},
        "more": {"more": "garbage!"},
    }
    for name, params in cases.items():
        response = client.get("/xapi/statements", params=params, headers=headers)
        assert response.status_code == 400, name
        assert name in response.json()["error"], (name, response.json())


def test_attachments_round_trip_as_multipart(client: TestClient, headers: dict[str, str]) -> None:
    content = b"certificate bytes"
    sha2 = hashlib.sha256(content).hexdigest()
    body_statement = statement(
        actor="att@example.com",
        attachments=[{"usageType": "http://example.com/cert", "display": {"en-US": "Certificate"},
                      "contentType": "text/plain", "length": len(content), "sha2": sha2}],
    )  # fmt: skip
    boundary = "xapiboundary"
    body = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(body_statement)}\r\n"
            f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    mixed = {**headers, "Content-Type": f"multipart/mixed; boundary={boundary}"}
    response = client.post("/xapi/statements", content=body, headers=mixed)
    assert response.status_code == 200, response.text
    [sid] = response.json()
    without = client.post("/xapi/statements", json=statement(attachments=body_statement["attachments"]),
                          headers=headers)  # fmt: skip
    assert without.status_code == 400 and "attachments" in without.json()["error"]
    back = client.get("/xapi/statements", params={"statementId": sid, "attachments": "true"}, headers=headers)
    assert back.status_code == 200 and back.headers["content-type"].startswith("multipart/mixed")
    raw = f"Content-Type: {back.headers['content-type']}\r\n\r\n".encode() + back.content
    parts = list(message_from_bytes(raw, policy=policy.HTTP).iter_parts())
    assert json.loads(bytes(parts[0].get_payload(decode=True)))["id"] == sid
    assert parts[1]["X-Experience-API-Hash"] == sha2 and parts[1].get_payload(decode=True) == content


def test_statements_targeting_a_match_match_too(client: TestClient, headers: dict[str, str]) -> None:
    tried = "http://example.com/verbs/tried-ref"
    [target] = post(client, headers, statement(actor="s1@example.com", verb=tried))
    ref = {"objectType": "StatementRef", "id": target}
    [comment] = post(
        client, headers, statement(actor="s2@example.com", verb="http://ex.com/commented", object=ref)
    )
    on_comment = {"objectType": "StatementRef", "id": comment}
    [reply] = post(
        client, headers, statement(actor="s3@example.com", verb="http://ex.com/replied", object=on_comment)
    )
    post(client, headers, statement(actor="s4@example.com", verb="http://ex.com/replied"))
    assert ids(client, headers, verb=tried) == [reply, comment, target]
    stored = {s["id"]: s["stored"] for s in get(client, headers, verb=tried)["statements"]}
    # Time filters still apply to the targeting statement itself.
    assert ids(client, headers, verb=tried, since=stored[comment]) == [reply]
    assert ids(client, headers, verb=tried, limit="2") == [reply, comment]
    # A voiding statement from someone else still comes back for the voided statement's actor.
    voided_verb = "http://adlnet.gov/expapi/verbs/voided"
    [voider] = post(client, headers, statement(actor="admin@example.com", verb=voided_verb, object=ref))
    assert ids(client, headers, agent=agent("s1@example.com")) == [voider, reply, comment]


def test_definitions_merge_and_canonical_format_uses_them(
    client: TestClient, headers: dict[str, str]
) -> None:
    course = "http://example.com/canon/1"
    first = {"objectType": "Activity", "id": course, "definition": {"name": {"en-US": "Forklift"}}}
    later = {"objectType": "Activity", "id": course, "definition": {"name": {"de-DE": "Gabelstapler"}}}
    [sid] = post(client, headers, statement(actor="c@example.com", object=first))
    post(client, headers, statement(actor="c@example.com", object=later))
    exact = get(client, headers, statementId=sid)
    assert exact["object"]["definition"]["name"] == {"en-US": "Forklift"}
    german = client.get(
        "/xapi/statements",
        params={"statementId": sid, "format": "canonical"},
        headers={**headers, "Accept-Language": "de-DE"},
    )
    assert german.json()["object"]["definition"]["name"] == {"de-DE": "Gabelstapler"}


def test_read_mine_cannot_fetch_another_clients_statement_by_id(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    [sid] = post(client, headers, statement(actor="o@example.com"))
    mine_only = lrs_headers(db, scopes=["statements/read/mine"], name="Mine")
    response = client.get("/xapi/statements", params={"statementId": sid}, headers=mine_only)
    assert response.status_code == 404

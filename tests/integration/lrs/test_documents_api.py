"""State, activity profile and agent profile documents over HTTP (xAPI 1.0.3 Part 3, 2.2-2.7, 3.1):
merge, ETag preconditions, `since` listings, deletes, content types, and errors naming the parameter."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.lrs.clients import create_client

ACTIVITY = "http://example.com/activities/forklift"
NEW = {"If-None-Match": "*"}  # a new profile: 1.0.3 wants a precondition on every profile PUT
AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:ana@example.com"})
OTHER_AGENT = json.dumps({"account": {"homePage": "https://hr.example", "name": "77"}})
REGISTRATION = "1f1c7c7e-8a55-4d0a-9c1c-4a9b9c5d7e01"


@pytest.fixture
def headers(db: Session) -> dict[str, str]:
    client, secret = create_client(db, name="Simulator", home_page="https://lb.example")
    token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}


def state(**extra: str) -> dict[str, str]:
    return {"activityId": ACTIVITY, "agent": AGENT, **extra}


def put_json(
    client: TestClient, path: str, params: dict[str, str], body: Any, h: dict[str, str], **more: str
) -> Any:
    return client.put(
        path,
        params=params,
        content=json.dumps(body),
        headers={**h, "Content-Type": "application/json", **more},
    )


def post_json(
    client: TestClient, path: str, params: dict[str, str], body: Any, h: dict[str, str], **more: str
) -> Any:
    return client.post(
        path,
        params=params,
        content=json.dumps(body),
        headers={**h, "Content-Type": "application/json", **more},
    )


def test_state_put_get_with_etag_last_modified_and_content_type(
    client: TestClient, headers: dict[str, str]
) -> None:
    r = client.put(
        "/xapi/activities/state",
        params=state(stateId="bookmark"),
        content=b"page=4",
        headers={**headers, "Content-Type": "text/plain"},
    )
    assert r.status_code == 204 and r.headers["X-Experience-API-Version"] == "1.0.3"
    got = client.get("/xapi/activities/state", params=state(stateId="bookmark"), headers=headers)
    assert got.status_code == 200 and got.content == b"page=4"
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["ETag"] == '"' + hashlib.sha1(b"page=4").hexdigest() + '"'  # noqa: S324 - xAPI names SHA-1
    assert got.headers["Last-Modified"].endswith("GMT")
    missing = client.get("/xapi/activities/state", params=state(stateId="nope"), headers=headers)
    assert missing.status_code == 404 and "error" in missing.json()
    head = client.head("/xapi/activities/state", params=state(stateId="bookmark"), headers=headers)
    assert head.status_code == 200 and head.content == b"" and head.headers["ETag"] == got.headers["ETag"]


def test_post_merges_top_level_properties_and_refuses_non_json(
    client: TestClient, headers: dict[str, str]
) -> None:
    p = state(stateId="vars")
    assert (
        post_json(client, "/xapi/activities/state", p, {"x": "foo", "y": "bar"}, headers).status_code == 204
    )
    assert (
        post_json(client, "/xapi/activities/state", p, {"x": "bash", "z": {"a": 1}}, headers).status_code
        == 204
    )
    assert client.get("/xapi/activities/state", params=p, headers=headers).json() == {
        "x": "bash",
        "y": "bar",
        "z": {"a": 1},
    }
    not_object = post_json(client, "/xapi/activities/state", p, [1, 2], headers)
    assert not_object.status_code == 400 and "content" in not_object.json()["error"]
    text = client.post(
        "/xapi/activities/state", params=p, content=b"hi", headers={**headers, "Content-Type": "text/plain"}
    )
    assert text.status_code == 400 and "Content-Type" in text.json()["error"]
    client.put(
        "/xapi/activities/state",
        params=state(stateId="t"),
        content=b"x",
        headers={**headers, "Content-Type": "text/plain"},
    )
    onto_text = post_json(client, "/xapi/activities/state", state(stateId="t"), {"a": 1}, headers)
    assert onto_text.status_code == 400
    assert client.get("/xapi/activities/state", params=state(stateId="t"), headers=headers).content == b"x"


def test_state_ids_listing_with_since_registration_and_deletes(
    client: TestClient, headers: dict[str, str]
) -> None:
    for sid in ("a", "b"):
        put_json(client, "/xapi/activities/state", state(stateId=sid), {"s": sid}, headers)
    time.sleep(0.01)
    listed = client.get("/xapi/activities/state", params=state(), headers=headers)
    assert sorted(listed.json()) == ["a", "b"] and listed.headers["Last-Modified"].endswith("GMT")
    cut = "2000-01-01T00:00:00Z"
    assert sorted(client.get("/xapi/activities/state", params=state(since=cut), headers=headers).json()) == [
        "a",
        "b",
    ]
    time.sleep(0.01)

    middle = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    put_json(client, "/xapi/activities/state", state(stateId="c"), {"s": "c"}, headers)
    assert client.get("/xapi/activities/state", params=state(since=middle), headers=headers).json() == ["c"]
    put_json(client, "/xapi/activities/state", state(stateId="r", registration=REGISTRATION), {}, headers)
    assert client.get(
        "/xapi/activities/state", params=state(registration=REGISTRATION), headers=headers
    ).json() == ["r"]
    other = {"activityId": ACTIVITY, "agent": OTHER_AGENT}
    assert client.get("/xapi/activities/state", params=other, headers=headers).json() == []
    assert (
        client.delete("/xapi/activities/state", params=state(stateId="a"), headers=headers).status_code == 204
    )
    assert sorted(client.get("/xapi/activities/state", params=state(), headers=headers).json()) == ["b", "c"]
    assert client.delete("/xapi/activities/state", params=state(), headers=headers).status_code == 204
    assert client.get("/xapi/activities/state", params=state(), headers=headers).json() == []
    assert client.get(
        "/xapi/activities/state", params=state(registration=REGISTRATION), headers=headers
    ).json() == ["r"]
    client.delete("/xapi/activities/state", params=state(registration=REGISTRATION), headers=headers)
    assert (
        client.get("/xapi/activities/state", params=state(registration=REGISTRATION), headers=headers).json()
        == []
    )


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"agent": AGENT, "stateId": "s"}, "activityId"),
        ({"activityId": ACTIVITY, "stateId": "s"}, "agent"),
        ({"activityId": ACTIVITY, "agent": "{not json", "stateId": "s"}, "agent"),
        ({"activityId": ACTIVITY, "agent": json.dumps({"name": "no ifi"}), "stateId": "s"}, "agent"),
        (
            {"activityId": ACTIVITY, "agent": json.dumps({"mbox": "ana@example.com"}), "stateId": "s"},
            "agent.mbox",
        ),
        ({"activityId": ACTIVITY, "agent": AGENT, "registration": "nope", "stateId": "s"}, "registration"),
        ({"activityId": ACTIVITY, "agent": AGENT, "since": "yesterday"}, "since"),
        ({"activityId": "not an iri", "agent": AGENT, "stateId": "s"}, "activityId"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    client: TestClient, headers: dict[str, str], params: dict[str, str], named: str
) -> None:
    r = client.get("/xapi/activities/state", params=params, headers=headers)
    assert r.status_code == 400 and named in r.json()["error"]
    assert r.headers["X-Experience-API-Version"] == "1.0.3"


def test_put_without_a_document_id_names_it(client: TestClient, headers: dict[str, str]) -> None:
    r = put_json(client, "/xapi/activities/profile", {"activityId": ACTIVITY}, {}, headers)
    assert r.status_code == 400 and "profileId" in r.json()["error"]
    r = put_json(client, "/xapi/activities/state", state(), {}, headers)
    assert r.status_code == 400 and "stateId" in r.json()["error"]


def test_a_new_profile_put_without_a_precondition_is_refused_under_1_0_3(
    client: TestClient, headers: dict[str, str]
) -> None:
    params = {"activityId": ACTIVITY, "profileId": "fresh"}
    refused = put_json(client, "/xapi/activities/profile", params, {"v": 1}, headers)
    assert refused.status_code == 400 and "If-None-Match" in refused.json()["error"]
    two = {**headers, "X-Experience-API-Version": "2.0.0"}
    assert put_json(client, "/xapi/activities/profile", params, {"v": 1}, two).status_code == 204


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/xapi/activities/profile", {"activityId": ACTIVITY, "profileId": "p"}),
        ("/xapi/agents/profile", {"agent": AGENT, "profileId": "p"}),
    ],
)
def test_profiles_etag_preconditions(
    client: TestClient, headers: dict[str, str], path: str, params: dict[str, str]
) -> None:
    assert put_json(client, path, params, {"v": 1}, headers, **{"If-Match": '"abc"'}).status_code == 412
    assert put_json(client, path, params, {"v": 1}, headers, **{"If-None-Match": "*"}).status_code == 204
    etag = client.get(path, params=params, headers=headers).headers["ETag"]
    assert put_json(client, path, params, {"v": 2}, headers, **{"If-None-Match": "*"}).status_code == 412
    conflict = put_json(client, path, params, {"v": 2}, headers)
    assert conflict.status_code == 409 and "If-Match" in conflict.json()["error"]
    assert (
        put_json(client, path, params, {"v": 2}, headers, **{"If-Match": '"' + "0" * 40 + '"'}).status_code
        == 412
    )
    assert client.get(path, params=params, headers=headers).json() == {"v": 1}
    assert put_json(client, path, params, {"v": 2}, headers, **{"If-Match": etag}).status_code == 204
    new_etag = client.get(path, params=params, headers=headers).headers["ETag"]
    assert new_etag != etag
    assert post_json(client, path, params, {"w": 3}, headers, **{"If-Match": etag}).status_code == 412
    assert post_json(client, path, params, {"w": 3}, headers, **{"If-Match": new_etag}).status_code == 204
    assert client.get(path, params=params, headers=headers).json() == {"v": 2, "w": 3}
    stale = client.delete(path, params=params, headers={**headers, "If-Match": new_etag})
    assert stale.status_code == 412
    assert client.delete(path, params=params, headers={**headers, "If-Match": "*"}).status_code == 204
    assert client.get(path, params=params, headers=headers).status_code == 404
    listing = {k: v for k, v in params.items() if k != "profileId"}
    assert client.get(path, params=listing, headers=headers).json() == []


def test_profile_listing_with_since(client: TestClient, headers: dict[str, str]) -> None:
    for pid in ("one", "two"):
        put_json(client, "/xapi/agents/profile", {"agent": AGENT, "profileId": pid}, {}, headers, **NEW)
    assert sorted(client.get("/xapi/agents/profile", params={"agent": AGENT}, headers=headers).json()) == [
        "one",
        "two",
    ]
    future = "2999-01-01T00:00:00+00:00"
    assert (
        client.get("/xapi/agents/profile", params={"agent": AGENT, "since": future}, headers=headers).json()
        == []
    )
    assert client.get("/xapi/agents/profile", params={"agent": OTHER_AGENT}, headers=headers).json() == []


def test_state_writes_without_concurrency_headers_replace_in_1_0_3_only(
    client: TestClient, headers: dict[str, str]
) -> None:
    p = state(stateId="s")
    put_json(client, "/xapi/activities/state", p, {"a": 1}, headers)
    assert put_json(client, "/xapi/activities/state", p, {"b": 2}, headers).status_code == 204
    assert client.get("/xapi/activities/state", params=p, headers=headers).json() == {"b": 2}
    v2 = {**headers, "X-Experience-API-Version": "2.0.0"}
    conflict = put_json(client, "/xapi/activities/state", p, {"c": 3}, v2)
    assert conflict.status_code == 409 and conflict.headers["X-Experience-API-Version"] == "2.0.0"
    assert client.get("/xapi/activities/state", params=p, headers=v2).json() == {"b": 2}
    assert put_json(client, "/xapi/activities/state", state(stateId="new"), {"c": 3}, v2).status_code == 204


def test_scopes_auth_and_version_are_enforced(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    reader, secret = create_client(db, name="Dash", home_page="https://lb.example", scopes=["profile"])
    token = base64.b64encode(f"{reader.key}:{secret}".encode()).decode()
    profile_only = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
    r = put_json(client, "/xapi/activities/state", state(stateId="s"), {}, profile_only)
    assert r.status_code == 403 and "scope" in r.json()["error"]
    assert (
        put_json(
            client,
            "/xapi/activities/profile",
            {"activityId": ACTIVITY, "profileId": "p"},
            {},
            profile_only,
            **NEW,
        ).status_code
        == 204
    )
    no_auth = client.get(
        "/xapi/activities/state", params=state(), headers={"X-Experience-API-Version": "1.0.3"}
    )
    assert no_auth.status_code == 401
    no_version = client.get(
        "/xapi/activities/state", params=state(), headers={"Authorization": headers["Authorization"]}
    )
    assert no_version.status_code == 400


def test_agents_resource_returns_a_person(client: TestClient, headers: dict[str, str]) -> None:
    agent = json.dumps({"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@example.com"})
    r = client.get("/xapi/agents", params={"agent": agent}, headers=headers)
    assert r.status_code == 200
    assert r.json() == {"objectType": "Person", "name": ["Ana"], "mbox": ["mailto:ana@example.com"]}
    group = json.dumps({"objectType": "Group", "mbox": "mailto:team@example.com"})
    bad = client.get("/xapi/agents", params={"agent": group}, headers=headers)
    assert bad.status_code == 400 and "agent" in bad.json()["error"]
    assert client.get("/xapi/agents", headers=headers).status_code == 400


def test_activities_resource_returns_the_merged_definition(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    from learnbridge.lrs.activities import merge_activity_definition

    merge_activity_definition(
        db, activity_id=ACTIVITY, definition={"name": {"en-US": "Forklift"}, "type": "http://t/a"}
    )
    merge_activity_definition(
        db, activity_id=ACTIVITY, definition={"name": {"de-DE": "Gabelstapler"}, "type": "http://t/b"}
    )
    r = client.get("/xapi/activities", params={"activityId": ACTIVITY}, headers=headers)
    assert r.status_code == 200
    assert r.json() == {
        "objectType": "Activity",
        "id": ACTIVITY,
        "definition": {"name": {"en-US": "Forklift", "de-DE": "Gabelstapler"}, "type": "http://t/b"},
    }
    unknown = client.get(
        "/xapi/activities", params={"activityId": "http://example.com/unknown"}, headers=headers
    )
    assert unknown.json() == {"objectType": "Activity", "id": "http://example.com/unknown"}
    missing = client.get("/xapi/activities", headers=headers)
    assert missing.status_code == 400 and "activityId" in missing.json()["error"]

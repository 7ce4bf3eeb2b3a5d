"""Triage: L&D admins decide on any need, managers on their own unit's; every decision carries a public
reason and stays on the need; merging keeps every vote (someone who voted on both counts once)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_account, make_person, make_unit

NEED = {"title": "Nobody knows the new WMS returns flow", "kind": "learning_need"}


def _headers(db: Session, **person: Any) -> dict[str, str]:
    return bearer(db, make_account(db, make_person(db, **person)))


def _raise(client: TestClient, headers: dict[str, str], **fields: Any) -> int:
    made = client.post("/api/v1/needs", json=NEED | fields, headers=headers)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _decide(client: TestClient, headers: dict[str, str], need_id: int, **body: Any) -> Any:
    return client.post(f"/api/v1/needs/{need_id}/status", json=body, headers=headers)


@pytest.fixture
def org(db: Session) -> dict[str, Any]:
    north = make_unit(db, "Warehouse North")
    squad = make_unit(db, "Night squad", parent=north)
    south = make_unit(db, "Warehouse South")
    lead = make_person(db, org_unit_id=north.id)
    make_person(db, org_unit_id=squad.id, manager_id=lead.id)  # makes the lead a manager
    return {
        "north": north,
        "squad": squad,
        "south": south,
        "manager": bearer(db, make_account(db, lead)),
        "admin": bearer(db, make_account(db, ld_admin=True)),
    }


def test_who_may_triage(client: TestClient, db: Session, org: dict[str, Any]) -> None:
    learner = _headers(db, org_unit_id=org["squad"].id)
    in_squad = _raise(client, learner, unit_id=org["squad"].id)
    in_south = _raise(client, learner, unit_id=org["south"].id)
    nowhere = _raise(client, learner)
    review = {"status": "under_review", "reason": "We are looking at the returns flow."}
    assert _decide(client, learner, in_squad, **review).status_code == 403
    assert _decide(client, org["manager"], in_south, **review).status_code == 403
    assert _decide(client, org["manager"], nowhere, **review).status_code == 403
    auditor = bearer(db, make_account(db, auditor=True))
    assert _decide(client, auditor, in_squad, **review).status_code == 403
    assert _decide(client, {}, in_squad, **review).status_code == 401
    decided = _decide(client, org["manager"], in_squad, **review)
    assert decided.status_code == 200 and decided.json()["status"] == "under_review"
    planned = _decide(client, org["admin"], in_south, status="planned", reason="A short video in January.")
    assert planned.status_code == 200 and planned.json()["status"] == "planned"


def test_each_decision_is_kept_with_its_reason(client: TestClient, db: Session, org: dict[str, Any]) -> None:
    someone = _headers(db)
    need = _raise(client, someone, unit_id=org["north"].id)
    steps = [
        ("under_review", "Seen it: three teams said the same."),
        ("planned", "A 10-minute how-to and a session at each depot."),
        ("in_progress", "The video is being filmed."),
    ]
    for status, reason in steps:
        assert _decide(client, org["admin"], need, status=status, reason=reason).status_code == 200
    history = client.get(f"/api/v1/needs/{need}/decisions", headers=someone).json()
    assert [(d["status_from"], d["status_to"], d["reason"]) for d in history] == [
        ("new", "under_review", steps[0][1]),
        ("under_review", "planned", steps[1][1]),
        ("planned", "in_progress", steps[2][1]),
    ]
    assert {d["actor"] for d in history} == {history[0]["actor"]} and "@" in history[0]["actor"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "planned", "reason": "   "}, "reason"),
        ({"status": "planned"}, "reason"),
        ({"status": "planned", "reason": "x" * 2001}, "reason"),
        ({"status": "shelved", "reason": "Later."}, "status"),
        ({"status": "new", "reason": "Start again."}, "status"),
        ({"status": "planned", "reason": "Soon.", "into_id": 5}, "into_id"),
        ({"status": "merged", "reason": "Same thing."}, "into_id"),
        ({"status": "merged", "reason": "Same thing.", "into_id": 999_999}, "into_id"),
        ({"status": "planned", "reason": "Soon.", "colour": "red"}, "colour"),
    ],
)
def test_bad_decisions_are_refused_naming_the_field(
    client: TestClient, db: Session, org: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    need = _raise(client, _headers(db))
    refused = _decide(client, org["admin"], need, **body)
    assert refused.status_code == 422, refused.text
    assert field in refused.text
    assert client.get(f"/api/v1/needs/{need}/decisions", headers=org["admin"]).json() == []


def test_merging_keeps_every_vote_once(client: TestClient, db: Session, org: dict[str, Any]) -> None:
    first, second, both = _headers(db), _headers(db), _headers(db)
    kept = _raise(client, first)
    gone = _raise(client, second, title="Returns: which shelf do they go to?")
    client.post(f"/api/v1/needs/{kept}/votes", headers=both)
    client.post(f"/api/v1/needs/{gone}/votes", headers=both)
    assert (
        _decide(client, org["admin"], gone, status="merged", reason="Same need.", into_id=gone).status_code
        == 422
    )
    merged = _decide(client, org["admin"], gone, status="merged", reason="Same need.", into_id=kept)
    assert merged.status_code == 200
    assert merged.json()["merged_into_id"] == kept and merged.json()["status"] == "merged"
    target = client.get(f"/api/v1/needs/{kept}", headers=second).json()
    assert target["votes"] == 3 and target["voted"] is True  # first, second and both: both once
    refused = client.post(f"/api/v1/needs/{gone}/votes", headers=_headers(db))
    assert refused.status_code == 422 and "merged" in refused.text
    again = _decide(client, org["admin"], gone, status="planned", reason="Changed my mind.")
    assert again.status_code == 422 and "merged into" in again.text
    declined = _raise(client, first, title="Declined already")
    _decide(client, org["admin"], declined, status="declined", reason="Out of scope.")
    into_closed = _decide(client, org["admin"], kept, status="merged", reason="x", into_id=declined)
    assert into_closed.status_code == 422 and "into_id" in into_closed.text


def test_a_status_already_held_is_refused(client: TestClient, db: Session, org: dict[str, Any]) -> None:
    need = _raise(client, _headers(db))
    assert _decide(client, org["admin"], need, status="planned", reason="Soon.").status_code == 200
    again = _decide(client, org["admin"], need, status="planned", reason="Soon.")
    assert again.status_code == 422 and "already" in again.text

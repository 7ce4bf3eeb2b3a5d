"""The needs board through the API: raising (the raiser's vote counted), one vote per person, the three
rankings everyone sees the same, private needs kept to their unit, and bad input refused naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from learnbridge.voice.models import Need, NeedVote
from tests.factories import bearer, make_account, make_person, make_skill, make_unit

FORKLIFTS = {
    "title": "Forklift battery swaps stall the night shift",
    "description": "Only two people can swap a battery; the rest wait.",
    "kind": "bottleneck",
}


def _someone(db: Session, **person: Any) -> dict[str, str]:
    return bearer(db, make_account(db, make_person(db, **person)))


def _raise(client: TestClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    made = client.post("/api/v1/needs", json=FORKLIFTS | fields, headers=headers)
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def _cost(frequency: int, minutes_lost: int, people_affected: int) -> dict[str, int]:
    return {"frequency": frequency, "minutes_lost": minutes_lost, "people_affected": people_affected}


def test_a_raised_need_counts_its_raisers_vote_and_says_its_cost(client: TestClient, db: Session) -> None:
    unit, skill = make_unit(db, "Warehouse North"), make_skill(db, name="Battery handling")
    raiser = _someone(db, org_unit_id=unit.id)
    need = _raise(
        client, raiser, unit_id=unit.id, skill_id=skill.id, frequency=10, minutes_lost=20, people_affected=12
    )
    assert need["votes"] == 1 and need["voted"] is True and need["status"] == "new"
    assert need["weekly_cost"] == 2400
    assert need["cost"] == "About 40 hours lost a week: 10 times a week x 20 minutes x 12 people"
    assert need["unit_id"] == unit.id and need["skill_id"] == skill.id and need["private"] is False
    other = _someone(db)
    seen = client.get(f"/api/v1/needs/{need['id']}", headers=other).json()
    assert seen["votes"] == 1 and seen["voted"] is False
    unestimated = _raise(client, raiser, title="Nobody knows the new WMS returns flow", kind="learning_need")
    assert unestimated["weekly_cost"] == 0 and unestimated["cost"] == "Cost not estimated"


def test_one_vote_per_person_withdrawable(client: TestClient, db: Session) -> None:
    need = _raise(client, _someone(db))
    voter = _someone(db)
    first = client.post(f"/api/v1/needs/{need['id']}/votes", headers=voter)
    assert first.status_code == 201 and first.json() == {"need_id": need["id"], "votes": 2, "voted": True}
    again = client.post(f"/api/v1/needs/{need['id']}/votes", headers=voter)
    assert again.status_code == 200 and again.json()["votes"] == 2
    assert client.get(f"/api/v1/needs/{need['id']}", headers=voter).json()["voted"] is True
    back = client.delete(f"/api/v1/needs/{need['id']}/votes", headers=voter)
    assert back.status_code == 200 and back.json() == {"need_id": need["id"], "votes": 1, "voted": False}
    assert client.delete(f"/api/v1/needs/{need['id']}/votes", headers=voter).json()["votes"] == 1
    stored = db.scalar(select(func.count()).select_from(NeedVote).where(NeedVote.need_id == need["id"]))
    assert stored == 1


def test_the_board_ranks_by_votes_cost_or_recency_and_pages(client: TestClient, db: Session) -> None:
    someone = _someone(db)
    cheap = _raise(
        client, someone, title="Label printer jams", frequency=1, minutes_lost=5, people_affected=2
    )
    dear = _raise(
        client, someone, title="Dock doors freeze", frequency=5, minutes_lost=30, people_affected=40
    )
    popular = _raise(client, someone, title="Returns flow unclear", kind="learning_need")
    for _ in range(2):
        client.post(f"/api/v1/needs/{popular['id']}/votes", headers=_someone(db))

    def ids(sort: str) -> list[int]:
        page = client.get("/api/v1/needs", params={"sort": sort}, headers=someone).json()
        return [n["id"] for n in page["items"] if n["id"] in {cheap["id"], dear["id"], popular["id"]}]

    assert ids("votes")[0] == popular["id"]
    assert ids("cost") == [dear["id"], cheap["id"], popular["id"]]
    assert ids("recent") == [popular["id"], dear["id"], cheap["id"]]
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"sort": "cost", "limit": 1} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/needs", params=params, headers=someone).json()
        seen += [n["id"] for n in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and {cheap["id"], dear["id"], popular["id"]} <= set(seen)
    kinds = client.get("/api/v1/needs", params={"kind": "learning_need"}, headers=someone).json()["items"]
    assert {n["kind"] for n in kinds} == {"learning_need"}


def test_filters_by_unit_take_in_the_units_below(client: TestClient, db: Session) -> None:
    north = make_unit(db, "North")
    squad = make_unit(db, "Squad 1", parent=north)
    south = make_unit(db, "South")
    someone = _someone(db)
    in_squad = _raise(client, someone, unit_id=squad.id)
    in_south = _raise(client, someone, unit_id=south.id)
    found = client.get("/api/v1/needs", params={"unit_id": north.id}, headers=someone).json()["items"]
    assert in_squad["id"] in [n["id"] for n in found] and in_south["id"] not in [n["id"] for n in found]


def test_a_private_need_is_seen_only_in_its_unit(client: TestClient, db: Session) -> None:
    north = make_unit(db, "North")
    squad = make_unit(db, "Squad 1", parent=north)
    south = make_unit(db, "South")
    raiser = _someone(db, org_unit_id=north.id)
    need = _raise(client, raiser, unit_id=north.id, private=True)
    below = _someone(db, org_unit_id=squad.id)
    outside = _someone(db, org_unit_id=south.id)
    admin = bearer(db, make_account(db, ld_admin=True))
    auditor = bearer(db, make_account(db, auditor=True))
    for allowed in (raiser, below, admin, auditor):
        assert client.get(f"/api/v1/needs/{need['id']}", headers=allowed).status_code == 200
        listed = client.get("/api/v1/needs", params={"sort": "recent"}, headers=allowed).json()["items"]
        assert need["id"] in [n["id"] for n in listed]
    assert client.get(f"/api/v1/needs/{need['id']}", headers=outside).status_code == 404
    assert client.post(f"/api/v1/needs/{need['id']}/votes", headers=outside).status_code == 404
    listed = client.get("/api/v1/needs", params={"sort": "recent"}, headers=outside).json()["items"]
    assert need["id"] not in [n["id"] for n in listed]
    assert client.post(f"/api/v1/needs/{need['id']}/votes", headers=below).status_code == 201


def test_who_may_raise_and_vote(client: TestClient, db: Session) -> None:
    need = _raise(client, _someone(db))
    auditor = bearer(db, make_account(db, auditor=True))  # an auditor's account has no person
    refused = client.post("/api/v1/needs", json=FORKLIFTS, headers=auditor)
    assert refused.status_code == 403 and "people" in refused.text
    assert client.post(f"/api/v1/needs/{need['id']}/votes", headers=auditor).status_code == 403
    assert client.get("/api/v1/needs", headers=auditor).status_code == 200  # reading is for everyone
    assert client.get("/api/v1/needs").status_code == 401
    assert client.post("/api/v1/needs", json=FORKLIFTS).status_code == 401
    assert client.post(f"/api/v1/needs/{need['id']}/votes").status_code == 401
    assert db.scalar(select(func.count()).select_from(Need)) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 5001}, "description"),
        ({"kind": "complaint"}, "kind"),
        ({"unit_id": 999_999}, "unit_id"),
        ({"skill_id": 999_999}, "skill_id"),
        ({"unit_id": 0}, "unit_id"),
        ({"private": True}, "private"),
        ({"frequency": -1}, "frequency"),
        ({"minutes_lost": 100_001}, "minutes_lost"),
        ({"people_affected": 0}, "people_affected"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    client: TestClient, db: Session, change: dict[str, Any], field: str
) -> None:
    refused = client.post("/api/v1/needs", json=FORKLIFTS | change, headers=_someone(db))
    assert refused.status_code == 422, refused.text
    assert field in refused.text
    assert db.scalar(select(func.count()).select_from(Need)) == 0


def test_bad_queries_are_refused(client: TestClient, db: Session) -> None:
    someone = _someone(db)
    for params in (
        {"sort": "loudest"},
        {"limit": 0},
        {"limit": 101},
        {"cursor": "nope"},
        {"unit_id": 999_999},
    ):
        answer = client.get("/api/v1/needs", params=params, headers=someone)
        assert answer.status_code == 422, (params, answer.text)
        assert next(iter(params)) in answer.text
    assert client.get("/api/v1/needs/999999", headers=someone).status_code == 404
    assert client.get("/api/v1/needs/0", headers=someone).status_code == 422


def test_a_declined_or_merged_need_takes_no_more_votes(client: TestClient, db: Session) -> None:
    need = _raise(client, _someone(db))
    voter = _someone(db)
    for status in ("declined", "merged"):
        db.execute(update(Need).where(Need.id == need["id"]).values(status=status))
        refused = client.post(f"/api/v1/needs/{need['id']}/votes", headers=voter)
        assert refused.status_code == 422 and "status" in refused.text and status in refused.text
    assert client.get(f"/api/v1/needs/{need['id']}", headers=voter).json()["votes"] == 1

"""xAPI evidence is trusted on purpose: a client voids only its own statements unless it holds the admin
scope (`all`), and only a client an L&D admin marks as evidence completes mandatory training. The
setting is on the LRS clients page, for L&D admins only."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.lrs.models import LrsClient, Statement
from tests.factories import bearer, csrf_from, login, make_account, make_person
from tests.helpers.lrs import VOIDED, lrs_headers, post, statement

PAGE = "/admin/lrs/clients"


def _voiding(target: str) -> dict[str, object]:
    return {
        "actor": {"mbox": "mailto:admin@example.org"},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    }


def test_a_client_voids_only_its_own_statements_unless_it_holds_the_admin_scope(
    client: TestClient, db: Session
) -> None:
    package = ["statements/write", "statements/read/mine", "state", "profile"]
    player = lrs_headers(db, scopes=package, name="Player")
    rival = lrs_headers(db, scopes=package, name="Rival")
    admin = lrs_headers(db, scopes=["all"], name="Admin tool")
    [mine] = post(client, player, statement())
    [theirs] = post(client, rival, statement(actor="bo@example.com"))
    refused = client.post("/xapi/statements", json=_voiding(theirs), headers=player)
    assert refused.status_code == 403 and "another client" in refused.json()["error"]
    assert "'all' scope" in refused.json()["error"]
    in_batch = client.post("/xapi/statements", json=[_voiding(mine), _voiding(theirs)], headers=player)
    assert in_batch.status_code == 403  # all or nothing: its own is not voided either
    voided = db.scalars(select(Statement.statement_id).where(Statement.voided.is_(True))).all()
    assert voided == []
    post(client, player, _voiding(mine))
    post(client, admin, _voiding(theirs))
    voided = db.scalars(select(Statement.statement_id).where(Statement.voided.is_(True))).all()
    assert sorted(voided) == sorted([mine, theirs])


def _client_named(db: Session, name: str) -> LrsClient:
    found = db.scalar(select(LrsClient).where(LrsClient.name == name))
    assert found is not None
    return found


def test_an_admin_creates_a_client_as_evidence_or_not_and_switches_it(
    client: TestClient, db: Session
) -> None:
    login(client, make_account(db, make_person(db), ld_admin=True).email)
    token = csrf_from(client.get(PAGE).text)
    page = client.get(PAGE).text
    assert "Counts as evidence for mandatory training" in page
    assert 'value="statements/write" checked' in page and 'value="all" checked' not in page
    client.post(PAGE, data={"csrf_token": token, "name": "Plain player", "scopes": ["statements/write"]})
    trusted_form = {"csrf_token": token, "name": "HR LMS", "scopes": ["all"], "counts_as_evidence": "on"}
    created = client.post(PAGE, data=trusted_form)
    assert created.status_code == 201 and "Counts as evidence for mandatory training" in created.text
    plain, trusted = _client_named(db, "Plain player"), _client_named(db, "HR LMS")
    assert plain.counts_as_evidence is False and trusted.counts_as_evidence is True
    switched = client.post(
        f"{PAGE}/{plain.id}/evidence",
        data={"csrf_token": token, "counts_as_evidence": "true"},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    told = client.get(switched.headers["location"]).text
    assert "Plain player now counts as evidence for mandatory training" in told
    db.refresh(plain)
    assert plain.counts_as_evidence is True
    off = {"csrf_token": token, "counts_as_evidence": "false"}
    client.post(f"{PAGE}/{plain.id}/evidence", data=off)
    db.refresh(plain)
    assert plain.counts_as_evidence is False
    assert client.post(f"{PAGE}/987654/evidence", data=off).status_code == 404
    assert client.post(f"{PAGE}/x/evidence", data=off).status_code == 422


def test_only_ld_admins_switch_a_client(client: TestClient, db: Session) -> None:
    target = lrs_headers(db, name=f"Target {uuid.uuid4().hex[:6]}")
    assert target
    made = db.scalars(select(LrsClient).order_by(LrsClient.id.desc())).first()
    assert made is not None
    for account in (
        make_account(db, make_person(db)),
        make_account(db, make_person(db), auditor=True),
    ):
        client.cookies.clear()
        login(client, account.email)
        token = csrf_from(client.get("/inbox").text)
        response = client.post(
            f"{PAGE}/{made.id}/evidence", data={"csrf_token": token, "counts_as_evidence": "true"}
        )
        assert response.status_code == 403
        api = client.post(f"{PAGE}/{made.id}/evidence", headers=bearer(db, account))
        assert api.status_code == 403
    client.cookies.clear()
    anonymous = client.post(
        f"{PAGE}/{made.id}/evidence", data={"counts_as_evidence": "true"}, follow_redirects=False
    )
    assert anonymous.status_code in (303, 403)
    db.refresh(made)
    assert made.counts_as_evidence is False

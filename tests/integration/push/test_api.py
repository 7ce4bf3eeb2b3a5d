"""The compliance API: requirements with preview, my assignments, completions, oversight, audit, roles."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemStatus
from learnbridge.core.jobs import Job
from learnbridge.people.importer import import_people
from learnbridge.push.models import Assignment, AuditEvent
from tests.factories import bearer, make_account, make_item, make_person, make_requirement, make_unit


def _admin(db: Session) -> dict[str, str]:
    return bearer(db, make_account(db, ld_admin=True))


def test_admin_creates_previews_activates_and_the_learner_sees_why(client: TestClient, db: Session) -> None:
    unit = make_unit(db, "Warehouse")
    learner = make_person(db, org_unit_id=unit.id, name="Wanda Worker")
    make_person(db, name="Outsider")
    item = make_item(db, title="Forklift safety")
    admin = _admin(db)
    spec = {
        "name": "Forklift certification",
        "description": "The law requires it.",
        "item_ids": [item.id],
        "rules": [{"kind": "unit_tree", "org_unit_id": unit.id}],
        "due_kind": "after_assignment",
        "due_days": 14,
        "validity_months": 12,
    }
    created = client.post("/api/v1/requirements", json=spec, headers=admin)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    rid = created.json()["id"]
    preview = client.post(f"/api/v1/requirements/{rid}/preview", json=spec, headers=admin).json()
    assert preview["added"] == 1 and preview["sample_added"] == ["Wanda Worker"]
    assert db.scalar(select(func.count()).select_from(Assignment)) == 0
    activated = client.post(f"/api/v1/requirements/{rid}/activate", headers=admin)
    assert activated.json()["created"] == 1
    mine = client.get("/api/v1/me/assignments", headers=bearer(db, make_account(db, learner))).json()["items"]
    assert len(mine) == 1
    entry = mine[0]
    assert (
        entry["requirement"]["name"] == "Forklift certification"
        and entry["item"]["title"] == "Forklift safety"
    )
    assert (
        entry["status"] == "assigned"
        and entry["due_at"] == (dt.date.today() + dt.timedelta(days=14)).isoformat()
    )
    assert "Warehouse" in entry["reason"] and "The law requires it." in entry["reason"]


def test_bad_input_names_the_field(client: TestClient, db: Session) -> None:
    admin = _admin(db)
    bad = client.post("/api/v1/requirements", json={"name": "X", "item_ids": [999999]}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "item_ids[0]"
    rule = client.post(
        "/api/v1/requirements",
        json={"name": "X", "item_ids": [make_item(db).id], "rules": [{"kind": "unit"}]},
        headers=admin,
    )
    assert rule.status_code == 422 and "org_unit_id" in rule.text
    fixed = client.post(
        "/api/v1/requirements",
        json={"name": "X", "item_ids": [make_item(db).id], "due_kind": "fixed"},
        headers=admin,
    )
    assert fixed.status_code == 422 and "due_date" in fixed.text


def test_roles(client: TestClient, db: Session) -> None:
    person = make_person(db)
    learner = bearer(db, make_account(db, person))
    auditor = bearer(db, make_account(db, auditor=True))
    other = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)])
    for path in (
        "/api/v1/requirements",
        "/api/v1/compliance/heatmap",
        "/api/v1/audit",
        "/api/v1/compliance/exceptions",
    ):
        assert client.get(path, headers=learner).status_code == 403
        assert client.get(path, headers=auditor).status_code == 200
    assert client.post("/api/v1/requirements", json={}, headers=auditor).status_code == 403
    assert client.post(f"/api/v1/requirements/{requirement.id}/archive", headers=auditor).status_code == 403
    completion = {
        "person_id": person.id,
        "item_id": requirement.items[0].id,
        "completed_at": "2026-01-01T10:00:00Z",
    }
    assert client.post("/api/v1/completions", json=completion, headers=learner).status_code == 403
    assignment = db.scalar(select(Assignment).where(Assignment.person_id == other.id))
    assert assignment is not None
    assert client.get(f"/api/v1/assignments/{assignment.id}", headers=learner).status_code == 404
    assert client.post("/api/v1/team/assignments", json={}, headers=learner).status_code == 403


def test_a_recorded_completion_turns_the_assignment_green_with_evidence_in_the_audit(
    client: TestClient, db: Session
) -> None:
    person = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)])
    admin = _admin(db)
    body = {
        "person_id": person.id,
        "item_id": requirement.items[0].id,
        "completed_at": "2026-01-05T09:00:00Z",
        "evidence": "Certificate FS-1",
    }
    assert client.post("/api/v1/completions", json=body, headers=admin).status_code == 201
    heat = client.get("/api/v1/compliance/heatmap", headers=admin).json()
    row = next(r for r in heat["rows"] if r["requirement"]["id"] == requirement.id)
    assert row["total"]["compliant"] >= 1
    cell = client.get(f"/api/v1/compliance/cell?requirement={requirement.id}&status=completed", headers=admin)
    assert [a["person_id"] for a in cell.json()["items"]] == [person.id]
    audit = client.get(f"/api/v1/audit?person={person.id}", headers=admin).json()["items"]
    assert {"completion_recorded", "completed", "assigned"} <= {e["action"] for e in audit}
    assert any(e["reason"] == "Certificate FS-1" for e in audit)
    exported = client.get(f"/api/v1/audit.csv?person={person.id}", headers=admin)
    assert exported.headers["content-type"].startswith("text/csv") and "Certificate FS-1" in exported.text


def test_completion_import_is_all_or_nothing_and_idempotent(client: TestClient, db: Session) -> None:
    person = make_person(db, external_id="E100")
    requirement = make_requirement(db, items=[make_item(db)])
    admin = _admin(db)
    item_id = requirement.items[0].id
    header = "person,item_id,completed_on,reference\n"
    bad = f"{header}E100,{item_id},2026-01-02,R1\nNOBODY,{item_id},2026-01-02,R2\n"
    response = client.post("/api/v1/completions/import", content=bad, headers=admin)
    assert response.status_code == 422 and response.json()["errors"][0] == {
        "field": "person",
        "message": "no person 'NOBODY'",
        "row": 3,
    }
    good = f"person,item_id,completed_on,reference\nE100,{item_id},2026-01-02,R1\n"
    first = client.post("/api/v1/completions/import", content=good, headers=admin).json()
    assert first == {"created": 1, "duplicates": 0, "assignments_completed": 1}
    again = client.post("/api/v1/completions/import", content=good, headers=admin).json()
    assert again == {"created": 0, "duplicates": 1, "assignments_completed": 0}
    assert person.id


def test_manager_assigns_to_reports_only_and_the_reason_is_shown(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Bea Boss")
    report = make_person(db, manager_id=boss.id)
    stranger = make_person(db)
    item = make_item(db)
    manager = bearer(db, make_account(db, boss))
    due = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    refused = client.post(
        "/api/v1/team/assignments",
        headers=manager,
        json={"item_id": item.id, "person_ids": [stranger.id], "due_on": due, "reason": "Because"},
    )
    assert refused.status_code == 403
    ok = client.post(
        "/api/v1/team/assignments",
        headers=manager,
        json={
            "item_id": item.id,
            "person_ids": [report.id],
            "due_on": due,
            "reason": "You lead the new shift from March",
        },
    )
    assert ok.status_code == 201
    mine = client.get("/api/v1/me/assignments", headers=bearer(db, make_account(db, report))).json()["items"]
    assert mine[0]["reason"] == "Bea Boss assigned this: You lead the new shift from March"
    assert mine[0]["due_at"] == due
    team = client.get("/api/v1/team/assignments", headers=manager).json()["items"]
    assert [a["person_id"] for a in team] == [report.id]


def test_an_hr_import_queues_an_incremental_recompute(client: TestClient, db: Session, app) -> None:  # type: ignore[no-untyped-def]
    unit = make_unit(db, "Yard")
    requirement = make_requirement(
        db, items=[make_item(db)], rules=[{"kind": "unit_tree", "org_unit_id": unit.id}]
    )
    import_people(db, text="external_id,name,org_unit\nN1,New Joiner,Yard\n")
    job = db.scalar(select(Job).where(Job.kind == "people.changed"))
    assert job is not None
    from learnbridge.jobs import job_handlers

    job_handlers(app.state.settings)["people.changed"](db, job.payload)
    joined = db.scalar(select(Assignment).where(Assignment.requirement_id == requirement.id))
    assert joined is not None and joined.person.name == "New Joiner"
    assert (
        db.scalar(select(AuditEvent.actor).where(AuditEvent.assignment_id == joined.id))
        == "system (HR change)"
    )
    # The queue (run_pending) runs it in production; here the handler is called in the test's transaction.


def test_a_manager_cannot_assign_a_draft_and_their_reason_is_on_every_audit_row(
    client: TestClient, db: Session
) -> None:
    boss = make_person(db, name="Bea Boss")
    report = make_person(db, manager_id=boss.id)
    manager = bearer(db, make_account(db, boss))
    due = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    body = {"person_ids": [report.id], "due_on": due, "reason": "You lead the new shift from March"}
    draft = make_item(db, status=ItemStatus.draft, title="Unfinished")
    refused = client.post("/api/v1/team/assignments", headers=manager, json={**body, "item_id": draft.id})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "item_id" and "not published" in refused.json()["detail"]
    assert db.scalar(select(func.count()).select_from(Assignment)) == 0
    ok = client.post("/api/v1/team/assignments", headers=manager, json={**body, "item_id": make_item(db).id})
    assert ok.status_code == 201
    rows = db.execute(
        select(AuditEvent.action, AuditEvent.reason).where(AuditEvent.requirement_id == ok.json()["id"])
    ).all()
    reasons = dict(rows)
    assert reasons["requirement_activated"] == reasons["assigned"] == "You lead the new shift from March"

"""Compliance pages: the requirement editor with preview, oversight, drill-down, completions, audit,
a manager's team, and a learner's home."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.push.models import Assignment, AuditEvent, Requirement
from tests.factories import (
    csrf_from,
    login,
    make_account,
    make_item,
    make_person,
    make_requirement,
    make_unit,
)


def test_editor_previews_saves_a_draft_and_activates(client: TestClient, db: Session) -> None:
    unit = make_unit(db, "Depot")
    make_person(db, org_unit_id=unit.id, name="Dee Depot")
    item = make_item(db, title="Fire safety")
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/requirements/new").text)
    form = {
        "csrf_token": token,
        "name": "Fire safety",
        "item_ids": [str(item.id)],
        "tree_units": [str(unit.id)],
        "due_kind": "fixed",
        "due_date": "2026-01-01",
        "due_days": "30",
        "grace_days": "0",
        "window_days": "30",
        "renew_from": "completion",
        "reminders": "-7 learner, 3 manager",
    }
    preview = client.post(
        "/admin/requirements/preview", data=form, headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert preview.status_code == 200, preview.text
    assert 'id="preview-added">1<' in preview.text and 'id="preview-overdue">1<' in preview.text
    assert "Dee Depot" in preview.text
    saved = client.post("/admin/requirements/new", data=form, follow_redirects=False)
    assert saved.status_code == 303
    requirement = db.scalar(select(Requirement).where(Requirement.name == "Fire safety"))
    assert requirement is not None and requirement.status == "draft"
    assert [(s.offset_days, s.recipient) for s in requirement.reminders] == [(-7, "learner"), (3, "manager")]
    page = client.get(saved.headers["location"])
    assert 'value="2026-01-01"' in page.text and f'value="{unit.id}" checked' in page.text
    client.post(
        f"/admin/requirements/{requirement.id}/activate", data={"csrf_token": token, "confirm": "yes"}
    )
    assert (
        db.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.requirement_id == requirement.id)
        )
        == 1
    )


def test_editor_shows_every_problem_and_saves_nothing(client: TestClient, db: Session) -> None:
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/requirements/new").text)
    bad = client.post(
        "/admin/requirements/new",
        data={
            "csrf_token": token,
            "name": "",
            "due_kind": "fixed",
            "due_days": "x",
            "people": "nobody@nowhere",
            "reminders": "soon",
        },
    )
    assert bad.status_code == 422
    assert "nobody@nowhere" in bad.text and "reminders" in bad.text
    assert db.scalar(select(func.count()).select_from(Requirement)) == 0


def test_oversight_traces_each_number_to_people(client: TestClient, db: Session) -> None:
    north, south = make_unit(db, "North"), make_unit(db, "South")
    late = make_person(db, org_unit_id=north.id, name="Late Larry")
    make_person(db, org_unit_id=south.id, name="Sam South")
    requirement = make_requirement(
        db, items=[make_item(db)], name="Code of conduct", due_kind="fixed", due_date=dt.date(2020, 1, 1)
    )
    login(client, make_account(db, auditor=True).email)
    page = client.get("/compliance")
    assert page.status_code == 200 and "Code of conduct" in page.text
    assert (
        "<strong>0.0%</strong><br><small>1 overdue / 1</small>"
        '<span class="visually-hidden"> compliant: Code of conduct, North</span>' in page.text
    )
    link = re.search(
        rf'href="(/compliance/cell\?requirement={requirement.id}(?:&amp;|&)unit={north.id})"', page.text
    )
    assert link
    cell = client.get(link.group(1).replace("&amp;", "&"))
    assert "Late Larry" in cell.text and "Sam South" not in cell.text and "Overdue" in cell.text
    exported = client.get("/compliance/export.csv")
    assert "Late Larry" in exported.text and "overdue" in exported.text
    assert late.id
    assert client.get("/admin/requirements/new").status_code == 403


def _tones(page: str, requirement: str) -> dict[str, str]:
    """The heatmap row's cell colours by column, from the cells' accessible names."""
    found = {}
    for tone, body in re.findall(r'<td class="heat-(\w+)">\s*(.*?)</td>', page, re.S):
        if named := re.search(rf"compliant: {requirement}, (\w+)", body):
            found[named.group(1)] = tone
    return found


def test_heatmap_colours_mean_what_its_key_says_and_no_column_repeats(
    client: TestClient, db: Session
) -> None:
    """Red only where someone is overdue or expired; amber where people are within their dates; a key
    says so; a unit without child units has no "(itself)" column repeating "All"."""
    org = make_unit(db, "Org")
    late_unit, busy_unit = make_unit(db, "Late", parent=org), make_unit(db, "Busy", parent=org)
    make_person(db, org_unit_id=late_unit.id, name="Lou Late")
    for n in range(3):
        make_person(db, org_unit_id=busy_unit.id, name=f"Busy {n}")
    make_requirement(db, items=[make_item(db)], name="Past", due_kind="fixed", due_date=dt.date(2020, 1, 1))
    login(client, make_account(db, auditor=True).email)
    page = client.get(f"/compliance?unit={org.id}").text
    assert "Colour key" in page and "Someone overdue or expired" in page
    by_unit = _tones(page, "Past")
    assert by_unit == {"Late": "poor", "Busy": "poor", "all": "poor"}  # 0% and overdue everywhere
    assert "Org (itself)" not in page  # nobody is placed directly in Org

    # Within their dates: 0% compliant is amber, not red.
    make_requirement(db, items=[make_item(db)], name="Future", due_kind="fixed", due_date=dt.date(2099, 1, 1))
    page = client.get(f"/compliance?unit={org.id}").text
    assert _tones(page, "Future") == {"Late": "fair", "Busy": "fair", "all": "fair"}

    # The lowest level: the unit's own people under "All in Busy", once.
    leaf = client.get(f"/compliance?unit={busy_unit.id}").text
    assert "Busy (itself)" not in leaf and "All in Busy" in leaf
    assert leaf.count("compliant: Past,") == 1


def test_assignment_page_explains_and_admin_exempts(client: TestClient, db: Session) -> None:
    person = make_person(db, name="Ada")
    requirement = make_requirement(db, items=[make_item(db)], name="Data protection")
    assignment = db.scalar(select(Assignment).where(Assignment.requirement_id == requirement.id))
    assert assignment is not None
    login(client, make_account(db, ld_admin=True).email)
    page = client.get(f"/compliance/assignments/{assignment.id}")
    assert "everyone in the organisation" in page.text and "days after it was assigned" in page.text
    token = csrf_from(page.text)
    client.post(
        f"/compliance/assignments/{assignment.id}/exemption",
        data={"csrf_token": token, "reason": "Covered by the group policy", "ends_on": ""},
    )
    page = client.get(f"/compliance/assignments/{assignment.id}")
    assert "Exempt" in page.text and "Covered by the group policy" in page.text
    assert person.id


def test_record_a_completion_from_the_form(client: TestClient, db: Session) -> None:
    person = make_person(db, external_id="W77", name="Walt")
    requirement = make_requirement(db, items=[make_item(db, title="Manual handling")])
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/completions/new").text)
    bad = client.post(
        "/admin/completions/new",
        data={"csrf_token": token, "person": "nobody", "item_id": "", "completed_on": "yesterday"},
    )
    assert bad.status_code == 422 and "completed_on" in bad.text
    ok = client.post(
        "/admin/completions/new",
        data={
            "csrf_token": token,
            "person": "w77",
            "item_id": str(requirement.items[0].id),
            "completed_on": "2026-02-01",
            "evidence": "Signed sheet",
        },
    )
    assert "Walt completed Manual handling; 1 assignment(s) satisfied" in ok.text
    assert (
        db.scalar(select(AuditEvent.reason).where(AuditEvent.action == "completion_recorded"))
        == "Signed sheet"
    )
    assert person.id


def test_auditor_filters_and_exports_the_trail(client: TestClient, db: Session) -> None:
    make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], name="Anti-bribery")
    login(client, make_account(db, auditor=True).email)
    page = client.get(f"/audit?action=assigned&requirement={requirement.id}")
    assert page.status_code == 200 and "Anti-bribery" in page.text and "Assigned" in page.text
    csv = client.get(f"/audit.csv?action=assigned&requirement={requirement.id}")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("id,at,actor,action") and all(",assigned," in line for line in lines[1:])


def test_manager_team_page_and_assigning(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Mo Manager")
    report = make_person(db, name="Ria Report", manager_id=boss.id)
    item = make_item(db, title="Coaching basics")
    login(client, make_account(db, boss).email)
    page = client.get("/team/compliance")
    token = csrf_from(page.text)
    assert "Ria Report" in page.text
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    done = client.post(
        "/team/assign",
        data={
            "csrf_token": token,
            "item_id": str(item.id),
            "person_ids": [str(report.id)],
            "due_on": due,
            "reason": "Prepare for the team lead role",
        },
    )
    assert "Assigned to 1 person" in done.text and "Coaching basics" in done.text
    missing = client.post(
        "/team/assign", data={"csrf_token": token, "item_id": str(item.id), "due_on": due, "reason": "x"}
    )
    assert missing.status_code == 422 and "person_ids" in missing.text


def test_learner_home_lists_what_is_required_and_why(client: TestClient, db: Session) -> None:
    person = make_person(db)
    make_requirement(
        db,
        items=[make_item(db, title="Information security")],
        name="Annual infosec",
        description="Phishing is our top risk.",
    )
    login(client, make_account(db, person).email)
    home = client.get("/")
    assert "Required of you" in home.text and "Annual infosec" in home.text
    assert "Phishing is our top risk." in home.text and "Information security" in home.text


def test_who_may_open_which_compliance_page(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Boss")
    report = make_person(db, manager_id=boss.id)
    stranger = make_person(db)
    make_requirement(db, items=[make_item(db)])
    mine = db.scalar(select(Assignment).where(Assignment.person_id == report.id))
    theirs = db.scalar(select(Assignment).where(Assignment.person_id == stranger.id))
    assert mine is not None and theirs is not None
    readers_only = [
        "/compliance",
        "/audit",
        "/admin/requirements",
        "/compliance/exceptions",
        "/compliance/export.csv",
    ]
    admins_only = ["/admin/requirements/new", "/admin/completions/new", "/admin/completions/import"]
    expected = {
        make_account(db, report).email: {
            "own": 200,
            "other": 404,
            "readers": 403,
            "admins": 403,
            "team": 403,
        },
        make_account(db, boss).email: {"own": 200, "other": 404, "readers": 403, "admins": 403, "team": 200},
        make_account(db, auditor=True).email: {
            "own": 200,
            "other": 200,
            "readers": 200,
            "admins": 403,
            "team": 403,
        },
        make_account(db, ld_admin=True).email: {
            "own": 200,
            "other": 200,
            "readers": 200,
            "admins": 200,
            "team": 403,
        },
    }
    for email, codes in expected.items():
        client.cookies.clear()
        login(client, email)
        assert client.get(f"/compliance/assignments/{mine.id}").status_code == codes["own"], email
        assert client.get(f"/compliance/assignments/{theirs.id}").status_code == codes["other"], email
        assert {client.get(path).status_code for path in readers_only} == {codes["readers"]}, email
        assert {client.get(path).status_code for path in admins_only} == {codes["admins"]}, email
        assert client.get("/team/compliance").status_code == codes["team"], email


def test_manager_home_counts_the_teams_late_assignments(client: TestClient, db: Session) -> None:
    boss = make_person(db)
    lead = make_person(db, manager_id=boss.id)
    make_person(db, manager_id=lead.id)
    make_requirement(db, items=[make_item(db)], due_kind="fixed", due_date=dt.date(2020, 1, 1))
    login(client, make_account(db, boss).email)
    home = client.get("/")
    assert "<strong>2</strong> overdue or expired assignments in your team" in home.text


def test_the_editor_takes_the_reminder_ladder_as_rows_and_learning_from_a_picker(
    client: TestClient, db: Session
) -> None:
    item = make_item(db, title="Ladder learning")
    login(client, make_account(db, ld_admin=True).email)
    blank = client.get("/admin/requirements/new").text
    assert "data-picker" in blank and f'type="checkbox" name="item_ids" value="{item.id}"' in blank
    assert blank.count('name="reminder_days"') >= 3  # the default ladder's steps and two empty rows
    form = {
        "csrf_token": csrf_from(blank),
        "name": "Ladder",
        "item_ids": [str(item.id)],
        "due_kind": "after_assignment",
        "due_days": "30",
        "grace_days": "0",
        "window_days": "30",
        "renew_from": "completion",
        "everyone": "1",
        "reminder_days": ["14", "0", "7", ""],
        "reminder_when": ["before", "after", "after", "before"],
        "reminder_to": ["learner", "learner", "manager", "ld"],
    }
    saved = client.post("/admin/requirements/new", data=form, follow_redirects=False)
    assert saved.status_code == 303
    requirement = db.scalar(select(Requirement).where(Requirement.name == "Ladder"))
    assert requirement is not None
    steps = [(s.offset_days, s.recipient) for s in requirement.reminders]
    assert sorted(steps) == [(-14, "learner"), (0, "learner"), (7, "manager")]
    page = client.get(saved.headers["location"]).text
    assert re.search(r'name="reminder_days"[^>]*value="14"', page) and 'value="manager" selected' in page
    # A row that is not a number is refused, named in the message, and nothing is saved.
    bad = client.post(
        "/admin/requirements/new", data={**form, "name": "Bad ladder", "reminder_days": ["soon", "3", "", ""]}
    )
    assert bad.status_code == 422 and "reminders" in bad.text and "soon" in bad.text
    assert db.scalar(select(Requirement).where(Requirement.name == "Bad ladder")) is None

"""A manager's team compliance page: one row per person (progress, overdue, next due), filters, sorting,
rows that expand to the person's assignments, and bulk actions (remind, assign, exempt)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.notify.models import InboxMessage, OutboxMail
from learnbridge.people.models import Person
from learnbridge.push.models import Assignment, Exemption
from tests.factories import (
    csrf_from,
    login,
    make_account,
    make_completion,
    make_item,
    make_person,
    make_requirement,
    make_unit,
)


def _team(db: Session) -> dict[str, Person]:
    """Mo manages Ann (North) and Bob (South); Cy (South) reports to Bob. Everyone owes "Past" (overdue
    since 2020) and "Future" (due 2099); Ann has done Past's learning."""
    north, south = make_unit(db, "North"), make_unit(db, "South")
    mo = make_person(db, name="Mo Manager", email="mo@example.org")
    ann = make_person(db, name="Ann North", manager_id=mo.id, org_unit_id=north.id, email="ann@example.org")
    bob = make_person(db, name="Bob South", manager_id=mo.id, org_unit_id=south.id, email="bob@example.org")
    cy = make_person(db, name="Cy South", manager_id=bob.id, org_unit_id=south.id, email="cy@example.org")
    past_item = make_item(db, title="Past learning")
    make_completion(db, person=ann, item=past_item)
    make_requirement(db, items=[past_item], name="Past", due_kind="fixed", due_date=dt.date(2020, 1, 1))
    make_requirement(db, items=[make_item(db)], name="Future", due_kind="fixed", due_date=dt.date(2099, 1, 1))
    db.commit()
    return {"mo": mo, "ann": ann, "bob": bob, "cy": cy}


def _rows(page: str) -> list[str]:
    """The people's names in row order."""
    return re.findall(r"<summary>([^<]+?) <span", page)


def test_one_row_per_person_with_progress_overdue_and_next_due(client: TestClient, db: Session) -> None:
    people = _team(db)
    login(client, make_account(db, people["mo"]).email)
    page = client.get("/team/compliance").text
    assert _rows(page) == ["Bob South", "Cy South", "Ann North"]  # most overdue first, then by name
    assert page.count('type="checkbox" name="person_ids" value=') >= 3
    ann_row = page[page.index("<summary>Ann North") :].split("</tr>")[0]
    assert 'aria-label="Ann North: 50% compliant"' in ann_row and "(1 of 2)" in ann_row
    ann_cells = ann_row.split("</details>")[1]
    assert 'class="late"' not in ann_cells and "2099-01-01" in ann_cells  # nothing overdue; next due
    bob_cells = page[page.index("<summary>Bob South") :].split("</tr>")[0].split("</details>")[1]
    assert '<strong class="late">1</strong>' in bob_cells and "2020-01-01" in bob_cells
    # Expanding a row lists the person's assignments, each linked, with status and date.
    assert (
        re.search(r'href="/compliance/assignments/\d+">Future</a>', ann_row) and "due 2099-01-01" in ann_row
    )
    assert "Completed" in ann_row
    assert (
        '<a role="button" href="#assign-heading">Assign learning</a>' in page.split('class="team-filters"')[0]
    )
    assert "applies to you" not in page


def test_filters_and_sorting(client: TestClient, db: Session) -> None:
    people = _team(db)
    login(client, make_account(db, people["mo"]).email)
    by_name = client.get("/team/compliance?sort=name&desc=1").text
    assert _rows(by_name) == ["Cy South", "Bob South", "Ann North"]
    assert 'aria-sort="descending"' in by_name
    progress = client.get("/team/compliance?sort=progress").text
    assert _rows(progress)[-1] == "Ann North"
    completed = client.get("/team/compliance?status=completed").text
    assert _rows(completed) == ["Ann North"] and "1 of 3 people shown" in completed
    south = db.scalar(select(Person.org_unit_id).where(Person.id == people["bob"].id))
    in_south = client.get(f"/team/compliance?unit={south}&sort=name").text
    assert _rows(in_south) == ["Bob South", "Cy South"]
    requirement = re.search(r'<option value="(\d+)"[^>]*>Future</option>', in_south)
    assert requirement
    future = client.get(f"/team/compliance?requirement={requirement.group(1)}&sort=name").text
    assert "Past</a>" not in future and "Future</a>" in future
    bad = client.get("/team/compliance?status=late&sort=sideways")
    assert bad.status_code == 422 and "status" in bad.text and "sort" in bad.text
    assert client.get("/team/compliance?unit=abc").status_code == 422


def test_bulk_remind_tells_each_person_what_is_left(client: TestClient, db: Session) -> None:
    people = _team(db)
    login(client, make_account(db, people["mo"]).email)
    token = csrf_from(client.get("/team/compliance").text)
    ann, cy = people["ann"], people["cy"]
    done = client.post(
        "/team/bulk", data={"csrf_token": token, "action": "remind", "person_ids": [str(ann.id), str(cy.id)]}
    )
    assert done.status_code == 200 and "Reminded 2 people." in done.text
    inbox = db.scalars(
        select(InboxMessage).where(
            InboxMessage.person_id == ann.id, InboxMessage.subject.startswith("Reminder")
        )
    ).all()
    assert [m.subject for m in inbox] == ["Reminder from Mo Manager: 1 item to do"]
    assert "Future: is due 2099-01-01" in inbox[0].body and "Past" not in inbox[0].body
    mail = db.scalars(
        select(OutboxMail).where(
            OutboxMail.to_address == "cy@example.org", OutboxMail.subject.startswith("Reminder")
        )
    ).one()
    assert "Past: was due 2020-01-01" in mail.body and "Future: is due 2099-01-01" in mail.body


def test_bulk_assign_opens_the_form_with_them_ticked(client: TestClient, db: Session) -> None:
    people = _team(db)
    login(client, make_account(db, people["mo"]).email)
    token = csrf_from(client.get("/team/compliance").text)
    moved = client.post(
        "/team/bulk",
        data={"csrf_token": token, "action": "assign", "person_ids": [str(people["bob"].id)]},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"].endswith("#assign-heading")
    form = client.get(moved.headers["location"]).text.split('id="assign-heading"')[1]
    assert f'value="{people["bob"].id}" checked' in form and f'value="{people["ann"].id}" checked' not in form


def test_bulk_exempt_is_for_ld_admins_and_needs_a_reason(client: TestClient, db: Session) -> None:
    people = _team(db)
    past = db.scalar(
        select(Assignment.requirement_id)
        .where(Assignment.person_id == people["ann"].id)
        .order_by(Assignment.requirement_id)
    )
    chosen = [str(people["ann"].id), str(people["bob"].id)]
    login(client, make_account(db, people["mo"]).email)
    page = client.get("/team/compliance").text
    assert "Exempt them from a requirement" not in page
    token = csrf_from(page)
    data = {"csrf_token": token, "action": "exempt", "person_ids": chosen, "requirement_id": str(past)}
    refused = client.post("/team/bulk", data={**data, "reason": "Covered by the 2026 external course"})
    assert refused.status_code == 403

    # A manager who is also an L&D admin may.
    boss = make_person(db, name="Lee Admin")
    for p in (people["ann"], people["bob"]):
        db.get(Person, p.id).manager_id = boss.id  # type: ignore[union-attr]
    db.commit()
    login(client, make_account(db, boss, ld_admin=True).email)
    page = client.get("/team/compliance").text
    assert "Exempt them from a requirement" in page
    token = csrf_from(page)
    no_reason = client.post("/team/bulk", data={**data, "csrf_token": token, "reason": ""})
    assert no_reason.status_code == 422 and "reason" in no_reason.text and "Ann North" in no_reason.text
    done = client.post("/team/bulk", data={**data, "csrf_token": token, "reason": "Covered externally"})
    assert "Exempted 1 person from the requirement." in done.text  # Ann had done it already
    assert db.scalars(select(Exemption.reason)).all() == ["Covered externally"]


def test_bulk_refuses_people_who_are_not_reports_and_bad_input(client: TestClient, db: Session) -> None:
    people = _team(db)
    stranger = make_person(db, name="Stranger")
    db.commit()
    login(client, make_account(db, people["mo"]).email)
    token = csrf_from(client.get("/team/compliance").text)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"action": "remind", "person_ids": [str(stranger.id)]}, "person_ids"),
        ({"action": "remind"}, "person_ids"),
        ({"action": "remind", "person_ids": ["x"]}, "person_ids"),
        ({"action": "shout", "person_ids": [str(people["ann"].id)]}, "action"),
        ({"action": "remind", "person_ids": [str(people["ann"].id)] * 501}, "person_ids"),
        ({"action": "remind", "person_ids": [str(2**63)]}, "person_ids"),  # beyond any id: 422, not 500
        ({"action": "remind", "person_ids": [str(people["ann"].id), str(stranger.id)]}, "person_ids"),
    ]
    for data, field in cases:
        answer = client.post("/team/bulk", data={"csrf_token": token, **data})
        assert answer.status_code == 422 and field in answer.text, data
    assert not db.scalars(select(InboxMessage).where(InboxMessage.person_id == stranger.id)).all()


def test_who_may_use_the_team_page(client: TestClient, db: Session) -> None:
    people = _team(db)
    for account, expected in [
        (make_account(db, people["ann"]), 403),  # a learner with no reports
        (make_account(db, auditor=True), 403),
        (make_account(db, ld_admin=True), 403),  # admins without reports use the oversight pages
        (make_account(db, people["bob"]), 200),
    ]:
        login(client, account.email)
        assert client.get("/team/compliance").status_code == expected, account.email
        token = csrf_from(client.get("/").text)
        bulk = client.post(
            "/team/bulk", data={"csrf_token": token, "action": "remind", "person_ids": [str(people["cy"].id)]}
        )
        assert bulk.status_code == (200 if expected == 200 else 403), account.email


def test_reasons_are_said_to_the_person_and_about_them_to_others(client: TestClient, db: Session) -> None:
    people = _team(db)
    assignment = db.scalars(select(Assignment).where(Assignment.person_id == people["bob"].id)).first()
    assert assignment is not None
    login(client, make_account(db, people["bob"]).email)
    own = client.get(f"/compliance/assignments/{assignment.id}").text
    assert "applies to you: everyone in the organisation" in own
    login(client, make_account(db, people["mo"]).email)
    theirs = client.get(f"/compliance/assignments/{assignment.id}").text
    assert "applies to Bob South: everyone in the organisation" in theirs and "applies to you" not in theirs


def test_a_big_team_is_shown_fifty_people_a_page(client: TestClient, db: Session) -> None:
    boss = make_person(db, name="Big Boss")
    for n in range(120):
        make_person(db, name=f"Member {n:03d}", manager_id=boss.id)
    make_requirement(db, items=[make_item(db)], name="Past", due_kind="fixed", due_date=dt.date(2020, 1, 1))
    db.commit()
    login(client, make_account(db, boss).email)
    first = client.get("/team/compliance?sort=name").text
    assert _rows(first) == [f"Member {n:03d}" for n in range(50)]
    assert "120 of 120 people shown (50 on page 1 of 3); 120 with something overdue" in first
    assert "sort=name&amp;desc=&amp;page=2" in first and "Previous page" not in first
    last = client.get("/team/compliance?sort=name&page=3").text
    assert _rows(last) == [f"Member {n:03d}" for n in range(100, 120)] and "Next page" not in last
    assert _rows(client.get("/team/compliance?sort=name&page=99").text) == _rows(last)  # the last page
    assert first.count('name="person_ids" value=') == 50 + 120  # the page's rows; everyone to assign to
    assert client.get("/team/compliance?page=0").status_code == 422
    assert client.get("/team/compliance?done=" + "x" * 301).status_code == 422
    # A bulk action reaches people on any page.
    token = csrf_from(first)
    last_member = db.scalar(select(Person).where(Person.name == "Member 119"))
    assert last_member is not None
    done = client.post(
        "/team/bulk", data={"csrf_token": token, "action": "remind", "person_ids": [str(last_member.id)]}
    )
    assert done.status_code == 200 and "Reminded 1 person" in done.text


def test_the_filter_form_s_any_is_no_filter(client: TestClient, db: Session) -> None:
    people = _team(db)
    login(client, make_account(db, people["mo"]).email)
    page = client.get("/team/compliance?status=overdue&requirement=&unit=&sort=urgency")
    assert page.status_code == 200 and _rows(page.text) == ["Bob South", "Cy South"]  # Ann has done Past
    assert client.get("/team/compliance?requirement=abc").status_code == 422

"""People are told what compliance did to them: learning assigned by a requirement or by their manager,
an exemption granted, ended or run out. The inbox hears at once; the mail comes in the next morning's
digest (one per person per day, however many assignments). Activation asks first, with the count."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from learnbridge.core.jobs import Job
from learnbridge.notify.models import InboxMessage, OutboxMail
from learnbridge.notify.service import SEND_MAIL
from learnbridge.people.models import Person
from learnbridge.push.fulfilment import grant_exemption, revoke_exemption
from learnbridge.push.models import Assignment, Requirement
from learnbridge.push.reminders import send_reminders
from learnbridge.push.requirements import (
    activate_requirement,
    activation_preview,
    assign_by_manager,
    people_changed,
)
from learnbridge.push.schemas import ManagerAssignIn
from tests.factories import (
    ADMIN,
    csrf_from,
    login,
    make_account,
    make_completion,
    make_item,
    make_person,
    make_requirement,
    make_unit,
)

TODAY = dt.date(2026, 3, 2)
TOMORROW = TODAY + dt.timedelta(days=1)


def _inbox(db: Session, person_id: int) -> list[InboxMessage]:
    stmt = select(InboxMessage).where(InboxMessage.person_id == person_id).order_by(InboxMessage.id)
    return list(db.scalars(stmt))


def _mails(db: Session, person_id: int) -> list[OutboxMail]:
    stmt = select(OutboxMail).where(OutboxMail.to_person_id == person_id).order_by(OutboxMail.id)
    return list(db.scalars(stmt))


def _assignment(db: Session, requirement: Requirement, person_id: int) -> Assignment:
    stmt = select(Assignment).where(
        Assignment.requirement_id == requirement.id, Assignment.person_id == person_id
    )
    found = db.scalar(stmt)
    assert found is not None
    return found


def test_a_requirement_tells_each_person_why_and_by_when_then_mails_in_the_digest(db: Session) -> None:
    depot = make_unit(db, "Depot North")
    person = make_person(db, org_unit_id=depot.id, name="Dee Depot")
    make_person(db, name="Elsewhere")  # not in the audience
    requirement = make_requirement(
        db,
        items=[make_item(db, title="Fire safety basics")],
        name="Fire safety 2026",
        description="Two fires in depots last year.",
        rules=[{"kind": "unit_tree", "org_unit_id": depot.id}],
        due_kind="fixed",
        due_date=dt.date(2026, 4, 30),
        reminders=[],
        activate=False,
    )
    activate_requirement(
        db, requirement_id=requirement.id, actor=ADMIN, today=TODAY, reason="The insurer asks for it."
    )
    [message] = _inbox(db, person.id)
    assignment = _assignment(db, requirement, person.id)
    assert message.subject == "Required of you: Fire safety 2026"
    assert message.body == (
        "Complete 'Fire safety basics'. The compliance requirement 'Fire safety 2026' applies to you "
        "(in Depot North or a unit below it). Two fires in depots last year. The insurer asks for it.\n"
        "Due 2026-04-30."
    )
    assert message.link == f"/compliance/assignments/{assignment.id}"
    assert _mails(db, person.id) == []  # no mail of its own: it waits for the digest
    assert send_reminders(db, day=TOMORROW) == 1
    [mail] = _mails(db, person.id)
    assert mail.subject == f"Learnbridge: 1 update for {TOMORROW}"
    assert "- New: Fire safety 2026 (required by L&D). Due 2026-04-30." in mail.body
    assert len(_inbox(db, person.id)) == 1  # the inbox heard it already
    assert send_reminders(db, day=TOMORROW) == 0 and len(_mails(db, person.id)) == 1


def test_an_activation_for_200_people_writes_its_messages_in_one_batch_and_no_mail_yet(
    db: Session,
) -> None:
    unit = make_unit(db, "Warehouse")
    people = [make_person(db, org_unit_id=unit.id) for _ in range(200)]
    requirement = make_requirement(
        db,
        items=[make_item(db)],
        rules=[{"kind": "unit", "org_unit_id": unit.id}],
        reminders=[],
        activate=False,
    )
    inserts: list[str] = []

    def count(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO INBOX_MESSAGES"):
            inserts.append(statement)

    bind = db.connection()
    event.listen(bind, "before_cursor_execute", count)
    try:
        result = activate_requirement(db, requirement_id=requirement.id, actor=ADMIN, today=TODAY)
    finally:
        event.remove(bind, "before_cursor_execute", count)
    ids = [p.id for p in people]
    assert result.created == 200 and len(inserts) <= 2
    told = select(func.count()).select_from(InboxMessage).where(InboxMessage.person_id.in_(ids))
    assert db.scalar(told) == 200
    assert db.scalar(select(func.count()).select_from(Job).where(Job.kind == SEND_MAIL)) == 0
    assert send_reminders(db, day=TOMORROW) == 200
    mailed = select(OutboxMail.to_person_id, func.count()).where(OutboxMail.to_person_id.in_(ids))
    assert sorted(db.execute(mailed.group_by(OutboxMail.to_person_id))) == [(i, 1) for i in sorted(ids)]


def test_several_assignments_in_a_day_are_one_mail(db: Session) -> None:
    person = make_person(db)
    for name in ("Infosec", "Anti-bribery"):
        make_requirement(db, items=[make_item(db)], name=name, reminders=[], today=TODAY)
    assert len(_inbox(db, person.id)) == 2
    send_reminders(db, day=TOMORROW)
    [mail] = _mails(db, person.id)
    assert "New: Infosec" in mail.body and "New: Anti-bribery" in mail.body
    assert mail.subject == f"Learnbridge: 2 updates for {TOMORROW}"


def test_someone_an_hr_change_brings_into_the_audience_is_told(db: Session) -> None:
    depot = make_unit(db, "Depot")
    requirement = make_requirement(
        db, items=[make_item(db)], name="Depot induction", rules=[{"kind": "unit", "org_unit_id": depot.id}]
    )
    mover = make_person(db)
    assert _inbox(db, mover.id) == []
    mover.org_unit_id = depot.id
    db.flush()
    people_changed(db, person_ids=[mover.id], today=TODAY)
    [message] = _inbox(db, mover.id)
    assert message.subject == "Required of you: Depot induction" and "(in Depot)" in message.body
    assert message.link == f"/compliance/assignments/{_assignment(db, requirement, mover.id).id}"


def test_each_person_hears_their_own_due_date_or_that_their_completion_counts(db: Session) -> None:
    """The message's last line is each assignment's own, written by the database (push.notices._due_sql)
    in the words `_due` uses elsewhere: a due date, a completion that already counts, or no date yet."""
    unit = make_unit(db, "Yard")
    item = make_item(db, title="Safe loading")
    dated = make_person(db, org_unit_id=unit.id, hire_date=dt.date(2026, 2, 1))
    undated = make_person(db, org_unit_id=unit.id, hire_date=None)
    done = make_person(db, org_unit_id=unit.id, hire_date=dt.date(2026, 2, 1))
    make_completion(db, person=done, item=item, completed_on=dt.date(2026, 2, 20))
    requirement = make_requirement(
        db,
        items=[item],
        name="Safe loading",
        rules=[{"kind": "unit", "org_unit_id": unit.id}],
        due_kind="after_hire",
        due_days=60,
        reminders=[],
        activate=False,
    )
    activate_requirement(db, requirement_id=requirement.id, actor=ADMIN, today=TODAY)
    last_lines = {p.id: _inbox(db, p.id)[0].body.rsplit("\n", 1)[1] for p in (dated, undated, done)}
    assert last_lines == {
        dated.id: "Due 2026-04-02.",
        undated.id: "No due date yet: your hire date is missing from the HR records, so L&D will set one.",
        done.id: "Your completion on 2026-02-20 already counts.",
    }
    for person in (dated, undated, done):
        [message] = _inbox(db, person.id)
        assert message.subject == "Required of you: Safe loading"
        assert message.link == f"/compliance/assignments/{_assignment(db, requirement, person.id).id}"


def test_a_preview_tells_nobody(db: Session) -> None:
    person = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], activate=False)
    assert activation_preview(db, requirement_id=requirement.id, today=TODAY).added >= 1
    assert _inbox(db, person.id) == []


def test_a_manager_assignment_names_the_manager_and_their_reason(db: Session) -> None:
    boss = make_person(db, name="Maria Jensen")
    report = make_person(db, manager_id=boss.id)
    item = make_item(db, title="Coaching basics")
    data = ManagerAssignIn(
        item_id=item.id,
        person_ids=[report.id],
        due_on=dt.date(2026, 3, 20),
        reason="You lead the new shift from April",
    )
    requirement = assign_by_manager(db, manager_id=boss.id, data=data, actor=ADMIN, today=TODAY)
    [message] = _inbox(db, report.id)
    assert message.subject == "Maria Jensen assigned you 'Coaching basics'"
    assert message.body == (
        "Complete 'Coaching basics'. Maria Jensen assigned this to you. Their reason: You lead the new "
        "shift from April\nDue 2026-03-20."
    )
    assert message.link == f"/compliance/assignments/{_assignment(db, requirement, report.id).id}"
    send_reminders(db, day=TOMORROW)
    [mail] = _mails(db, report.id)
    assert f"- New: {requirement.name} (assigned by Maria Jensen). Due 2026-03-20." in mail.body


def test_an_exemption_granted_and_ended_is_told_then_mailed(db: Session) -> None:
    person = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], name="Forklift", reminders=[], today=TODAY)
    assignment = _assignment(db, requirement, person.id)
    grant_exemption(
        db, assignment_id=assignment.id, reason="On parental leave", ends_on=dt.date(2026, 9, 1), actor=ADMIN
    )
    granted = _inbox(db, person.id)[-1]
    assert granted.subject == "Exempted: Forklift"
    assert granted.body.startswith("admin@example.org exempted you from Forklift until 2026-09-01.")
    assert "Reason: On parental leave." in granted.body
    revoke_exemption(db, assignment_id=assignment.id, reason="Back early", actor=ADMIN)
    ended = _inbox(db, person.id)[-1]
    assert ended.subject == "Exemption ended: Forklift"
    assert "Reason: Back early. It is required of you again. Due " in ended.body
    today = dt.datetime.now(dt.UTC).date()  # exemptions carry the real time they were granted
    send_reminders(db, day=today + dt.timedelta(days=1))
    [mail] = _mails(db, person.id)
    assert "- Exempted from Forklift until 2026-09-01 by admin@example.org: On parental leave" in mail.body
    assert "- Your exemption from Forklift was ended." in mail.body


def test_a_replaced_exemption_is_not_reported_as_ended(db: Session) -> None:
    person = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], name="Ladder", reminders=[], today=TODAY)
    assignment = _assignment(db, requirement, person.id)
    for reason in ("Injured", "Injured, longer"):
        grant_exemption(db, assignment_id=assignment.id, reason=reason, ends_on=None, actor=ADMIN)
    assert [m.subject for m in _inbox(db, person.id)][-2:] == ["Exempted: Ladder", "Exempted: Ladder"]
    send_reminders(db, day=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1))
    [mail] = _mails(db, person.id)
    assert "was ended" not in mail.body and "with no end date" in mail.body


def test_an_exemption_that_runs_out_is_told_by_the_digest(db: Session) -> None:
    person = make_person(db, email="")
    mailed = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], name="Hearing test", reminders=[], today=TODAY)
    ends = dt.date(2026, 6, 1)
    for who in (person, mailed):
        assignment = _assignment(db, requirement, who.id)
        grant_exemption(db, assignment_id=assignment.id, reason="Tested", ends_on=ends, actor=ADMIN)
    assert send_reminders(db, day=ends + dt.timedelta(days=1)) == 2
    text = "- Your exemption from Hearing test ended on 2026-06-01: it is required again."
    for who in (person, mailed):
        last = _inbox(db, who.id)[-1]
        assert (
            last.subject == f"Learnbridge: 1 update for {ends + dt.timedelta(days=1)}" and text in last.body
        )
    assert _mails(db, person.id) == [] and text in _mails(db, mailed.id)[0].body
    assert send_reminders(db, day=ends + dt.timedelta(days=1)) == 0


def _draft(db: Session) -> Requirement:
    unit = make_unit(db, "Yard")
    make_person(db, org_unit_id=unit.id, name="Ann Yard")
    make_person(db, org_unit_id=unit.id, name="Bo Yard")
    make_person(db, org_unit_id=unit.id, name="Cy Yard", hire_date=dt.date(2020, 1, 1))
    return make_requirement(
        db,
        items=[make_item(db)],
        name="Yard safety",
        rules=[{"kind": "unit", "org_unit_id": unit.id}],
        due_kind="after_hire",
        due_days=30,
        activate=False,
    )


def test_activation_asks_first_with_the_count(client: TestClient, db: Session) -> None:
    requirement = _draft(db)
    login(client, make_account(db, ld_admin=True).email)
    page = client.get(f"/admin/requirements/{requirement.id}")
    assert f'action="/admin/requirements/{requirement.id}/activate"' in page.text
    asked = client.get(f"/admin/requirements/{requirement.id}/activate")
    assert asked.status_code == 200
    assert (
        'Activate: <strong id="activate-added">3</strong> people will be assigned, '
        '<strong id="activate-overdue">1</strong> at once overdue, 2 without a due date'
    ) in asked.text
    assert db.get(Requirement, requirement.id).status == "draft"  # type: ignore[union-attr]
    token = csrf_from(asked.text)
    unconfirmed = client.post(f"/admin/requirements/{requirement.id}/activate", data={"csrf_token": token})
    assert unconfirmed.status_code == 422 and "<code>confirm</code>" in unconfirmed.text
    db.expire_all()
    assert db.get(Requirement, requirement.id).status == "draft"  # type: ignore[union-attr]
    done = client.post(
        f"/admin/requirements/{requirement.id}/activate",
        data={"csrf_token": token, "confirm": "yes", "reason": "New yard layout"},
    )
    assert done.status_code == 200
    assert "Activated: 3 people assigned and told" in done.text
    db.expire_all()
    assert db.get(Requirement, requirement.id).status == "active"  # type: ignore[union-attr]
    ann = db.scalar(select(Person.id).where(Person.name == "Ann Yard"))
    assert ann is not None and "New yard layout" in _inbox(db, ann)[0].body
    again = client.get(f"/admin/requirements/{requirement.id}/activate")
    assert again.status_code == 409


def test_only_ld_admins_see_the_activation_question(client: TestClient, db: Session) -> None:
    requirement = _draft(db)
    for account in (make_account(db, auditor=True), make_account(db, make_person(db))):
        login(client, account.email)
        assert client.get(f"/admin/requirements/{requirement.id}/activate").status_code == 403
        token = csrf_from(client.get("/inbox").text)
        refused = client.post(
            f"/admin/requirements/{requirement.id}/activate", data={"csrf_token": token, "confirm": "yes"}
        )
        assert refused.status_code == 403
    assert db.get(Requirement, requirement.id).status == "draft"  # type: ignore[union-attr]


def test_exemption_pages_say_the_person_was_told(client: TestClient, db: Session) -> None:
    person = make_person(db, name="Pat Doe")
    requirement = make_requirement(db, items=[make_item(db)], name="Forklift", reminders=[])
    assignment = _assignment(db, requirement, person.id)
    login(client, make_account(db, ld_admin=True).email)
    page = client.get(f"/compliance/assignments/{assignment.id}")
    token = csrf_from(page.text)
    granted = client.post(
        f"/compliance/assignments/{assignment.id}/exemption", data={"csrf_token": token, "reason": "Leave"}
    )
    assert "Exemption granted: Pat Doe has been told" in granted.text
    ended = client.post(
        f"/compliance/assignments/{assignment.id}/exemption/revoke",
        data={"csrf_token": token, "reason": "Back"},
    )
    assert "Exemption ended: Pat Doe has been told it is required again." in ended.text
    assert [m.subject for m in _inbox(db, person.id)][-2:] == [
        "Exempted: Forklift",
        "Exemption ended: Forklift",
    ]
    long = client.get(f"/compliance/assignments/{assignment.id}?saved={'x' * 31}")
    assert long.status_code == 422

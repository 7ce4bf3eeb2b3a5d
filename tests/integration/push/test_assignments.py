"""Requirements become assignments: audiences, due dates, moves, completions, exemptions, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from learnbridge.push.assignments import recompute
from learnbridge.push.audit import Actor
from learnbridge.push.date_rules import Dates, status
from learnbridge.push.fulfilment import apply_evidence, change_due, grant_exemption, record_completion
from learnbridge.push.models import Assignment, AssignmentCycle, AssignmentStatus, AuditEvent
from learnbridge.push.obligation_views import exceptions, obligations_of
from learnbridge.push.requirements import (
    archive_requirement,
    people_changed,
    preview_requirement,
    update_requirement,
)
from learnbridge.push.schemas import RequirementIn
from learnbridge.records.completions import CompletionChange
from tests.factories import ADMIN, make_item, make_person, make_profile, make_requirement, make_unit

TODAY = dt.date(2026, 3, 2)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _active(db: Session, requirement_id: int) -> dict[int, Assignment]:
    rows = db.scalars(select(Assignment).where(Assignment.requirement_id == requirement_id))
    return {a.person_id: a for a in rows if a.removed_at is None}


def _state(db: Session, person_id: int) -> dict[str, str]:
    return {o.requirement.name: o.status.value for o in obligations_of(db, person_id=person_id, today=TODAY)}


def test_everyone_is_assigned_once_with_a_due_date_and_an_audit_row(db: Session) -> None:
    people = [make_person(db) for _ in range(3)]
    leaver = make_person(db, active=False)
    requirement = make_requirement(db, items=[make_item(db)], due_days=30, today=TODAY)
    active = _active(db, requirement.id)
    assert {p.id for p in people} <= set(active) and leaver.id not in active
    assert {a.due_on for a in active.values()} == {TODAY + dt.timedelta(days=30)}
    audited = db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.requirement_id == requirement.id, AuditEvent.action == "assigned")
    )
    assert audited == len(active)
    again = recompute(db, actor=ADMIN, today=TODAY)
    assert again.changed == 0


def test_dimensions_combine_with_and_values_with_or_and_exclusions_win(db: Session) -> None:
    sales = make_unit(db, "Sales")
    north = make_unit(db, "North", parent=sales)
    ops = make_unit(db, "Ops")
    rep, lead = make_profile(db, "Rep"), make_profile(db, "Lead")
    a = make_person(db, org_unit_id=north.id, job_profile_id=rep.id)
    b = make_person(db, org_unit_id=sales.id, job_profile_id=lead.id)
    c = make_person(db, org_unit_id=ops.id, job_profile_id=rep.id)
    d = make_person(db, org_unit_id=north.id, job_profile_id=rep.id, location="Leeds")
    named = make_person(db, org_unit_id=ops.id)
    rules = [
        {"kind": "unit_tree", "org_unit_id": sales.id},
        {"kind": "job_profile", "job_profile_id": rep.id},
        {"kind": "job_profile", "job_profile_id": lead.id},
        {"kind": "location", "value": "Leeds", "exclude": True},
        {"kind": "person", "person_id": named.id},
    ]
    requirement = make_requirement(db, items=[make_item(db)], rules=rules, today=TODAY)
    assert set(_active(db, requirement.id)) == {a.id, b.id, named.id}
    assert c.id and d.id
    why = obligations_of(db, person_id=a.id, today=TODAY)[0].reason
    assert "Sales or a unit below it" in why and "job profile Rep" in why


def test_a_move_closes_and_opens_assignments_and_keeps_history(db: Session) -> None:
    warehouse, office = make_unit(db, "Warehouse"), make_unit(db, "Office")
    person = make_person(db, org_unit_id=warehouse.id)
    forklift = make_requirement(
        db, items=[make_item(db)], rules=[{"kind": "unit", "org_unit_id": warehouse.id}], today=TODAY
    )
    desk = make_requirement(
        db, items=[make_item(db)], rules=[{"kind": "unit", "org_unit_id": office.id}], today=TODAY
    )
    person.org_unit_id = office.id
    db.flush()
    result = people_changed(db, person_ids=[person.id], today=TODAY)
    assert (result.created, result.closed) == (1, 1)
    everything = {
        o.requirement.id: o for o in obligations_of(db, person_id=person.id, today=TODAY, include_closed=True)
    }
    assert everything[forklift.id].status == AssignmentStatus.no_longer_required
    assert "no longer applies" in everything[forklift.id].reason
    assert everything[desk.id].status == AssignmentStatus.assigned
    assert everything[desk.id].assignment.org_unit_id == office.id
    person.org_unit_id = warehouse.id
    db.flush()
    back = people_changed(db, person_ids=[person.id], today=TODAY)
    assert (back.reactivated, back.closed) == (1, 1)
    actions = list(
        db.scalars(select(AuditEvent.action).where(AuditEvent.person_id == person.id).order_by(AuditEvent.id))
    )
    assert actions.count("unassigned") == 2 and "reassigned" in actions


def test_missing_hire_date_lands_in_the_exceptions_queue_until_fixed(db: Session) -> None:
    hired = make_person(db, hire_date=dt.date(2026, 2, 1))
    unknown = make_person(db, hire_date=None)
    requirement = make_requirement(db, items=[make_item(db)], due_kind="after_hire", due_days=14, today=TODAY)
    active = _active(db, requirement.id)
    assert active[hired.id].due_on == dt.date(2026, 2, 15)
    assert status(Dates.of(active[hired.id]), TODAY) == AssignmentStatus.overdue
    assert active[unknown.id].due_on is None
    assert unknown.id in {o.assignment.person_id for o in exceptions(db, today=TODAY)}
    unknown.hire_date = dt.date(2026, 3, 1)
    db.flush()
    people_changed(db, person_ids=[unknown.id], today=TODAY)
    db.refresh(active[unknown.id])
    assert active[unknown.id].due_on == dt.date(2026, 3, 15)


def test_a_hand_set_due_date_is_audited_and_survives_recomputes(db: Session) -> None:
    person = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], today=TODAY)
    assignment = _active(db, requirement.id)[person.id]
    change_due(db, assignment_id=assignment.id, due_on=dt.date(2026, 6, 1), reason="long leave", actor=ADMIN)
    spec = RequirementIn(
        name=requirement.name, item_ids=[requirement.items[0].id], rules=[{"kind": "everyone"}], due_days=5
    )
    update_requirement(db, requirement_id=requirement.id, data=spec, actor=ADMIN, today=TODAY)
    db.refresh(assignment)
    assert assignment.due_on == dt.date(2026, 6, 1)
    event = db.scalar(
        select(AuditEvent).where(
            AuditEvent.assignment_id == assignment.id, AuditEvent.action == "due_changed"
        )
    )
    assert event is not None and event.reason == "long leave" and event.actor == ADMIN.label


def test_completion_satisfies_and_recertification_renews_inside_the_window(db: Session) -> None:
    person = make_person(db)
    course, equivalent = make_item(db), make_item(db)
    requirement = make_requirement(
        db, items=[course, equivalent], validity_months=12, window_days=30, renew_from="expiry", today=TODAY
    )
    record_completion(
        db,
        person_id=person.id,
        item_id=course.id,
        completed_at=_at(dt.date(2025, 3, 10)),
        evidence="certificate 17",
        actor=ADMIN,
    )
    a = _active(db, requirement.id)[person.id]
    assert (a.completed_on, a.expires_on) == (dt.date(2025, 3, 10), dt.date(2026, 3, 10))
    assert status(Dates.of(a), TODAY) == AssignmentStatus.expiring_soon
    # Too early: before the window opened (9 February), nothing renews.
    record_completion(
        db,
        person_id=person.id,
        item_id=equivalent.id,
        completed_at=_at(dt.date(2026, 1, 5)),
        evidence="",
        actor=ADMIN,
    )
    assert a.cycle == 1
    record_completion(
        db,
        person_id=person.id,
        item_id=equivalent.id,
        completed_at=_at(dt.date(2026, 3, 1)),
        evidence="",
        actor=ADMIN,
    )
    assert a.cycle == 2 and a.expires_on == dt.date(2027, 3, 10)  # counted from the previous expiry
    cycles = list(db.scalars(select(AssignmentCycle).where(AssignmentCycle.assignment_id == a.id)))
    assert [(c.cycle, c.completed_on, c.expires_on) for c in cycles] == [
        (1, dt.date(2025, 3, 10), dt.date(2026, 3, 10))
    ]
    assert status(Dates.of(a), dt.date(2027, 3, 10)) == AssignmentStatus.expired


def test_a_withdrawn_renewal_steps_back_a_cycle_and_a_withdrawn_first_completion_undoes_it(
    db: Session,
) -> None:
    person = make_person(db)
    course = make_item(db)
    requirement = make_requirement(
        db, items=[course], validity_months=12, window_days=30, renew_from="expiry", today=TODAY
    )
    first, _ = record_completion(
        db,
        person_id=person.id,
        item_id=course.id,
        completed_at=_at(dt.date(2025, 3, 10)),
        evidence="",
        actor=ADMIN,
    )
    renewal, _ = record_completion(
        db,
        person_id=person.id,
        item_id=course.id,
        completed_at=_at(dt.date(2026, 3, 1)),
        evidence="",
        actor=ADMIN,
    )
    a = _active(db, requirement.id)[person.id]
    assert (a.cycle, a.completion_id) == (2, renewal.id)
    renewal.revoked_at = _at(dt.date(2026, 3, 2))
    revoked = CompletionChange(revoked=[renewal.id], revoked_people={person.id})
    assert apply_evidence(db, change=revoked, actor=ADMIN).withdrawn == 1
    assert (a.cycle, a.completion_id, a.expires_on) == (1, first.id, dt.date(2026, 3, 10))
    assert (
        db.scalar(
            select(func.count()).select_from(AssignmentCycle).where(AssignmentCycle.assignment_id == a.id)
        )
        == 0
    )
    first.revoked_at = _at(dt.date(2026, 3, 2))
    apply_evidence(db, change=CompletionChange(revoked=[first.id], revoked_people={person.id}), actor=ADMIN)
    assert (a.completed_on, a.completion_id, a.expires_on) == (None, None, None)
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.assignment_id == a.id)).all()
    assert actions.count("completion_withdrawn") == 2


def test_new_assignments_count_earlier_completions(db: Session) -> None:
    person = make_person(db)
    item = make_item(db)
    record_completion(
        db,
        person_id=person.id,
        item_id=item.id,
        completed_at=_at(dt.date(2024, 1, 31)),
        evidence="",
        actor=ADMIN,
    )
    requirement = make_requirement(db, items=[item], validity_months=1, today=TODAY)
    a = _active(db, requirement.id)[person.id]
    assert (a.completed_on, a.expires_on) == (dt.date(2024, 1, 31), dt.date(2024, 2, 29))
    assert status(Dates.of(a), TODAY) == AssignmentStatus.expired


def test_exemption_with_an_end_date(db: Session) -> None:
    person = make_person(db)
    requirement = make_requirement(
        db, items=[make_item(db)], due_kind="fixed", due_date=dt.date(2026, 1, 1), today=TODAY
    )
    a = _active(db, requirement.id)[person.id]
    assert status(Dates.of(a), TODAY) == AssignmentStatus.overdue
    grant_exemption(
        db, assignment_id=a.id, reason="on secondment abroad", ends_on=dt.date(2026, 4, 1), actor=ADMIN
    )
    assert status(Dates.of(a), TODAY) == AssignmentStatus.exempt
    assert status(Dates.of(a), dt.date(2026, 4, 2)) == AssignmentStatus.overdue
    assert (
        db.scalar(
            select(AuditEvent.reason).where(AuditEvent.action == "exempted", AuditEvent.assignment_id == a.id)
        )
        == "on secondment abroad"
    )


def test_preview_writes_nothing_and_predicts_activation(db: Session) -> None:
    unit = make_unit(db)
    people = [make_person(db, org_unit_id=unit.id, hire_date=dt.date(2025, 1, 1)) for _ in range(3)]
    make_person(db, org_unit_id=unit.id, hire_date=None)
    item = make_item(db)
    spec = RequirementIn(
        name="Fire",
        item_ids=[item.id],
        rules=[{"kind": "unit", "org_unit_id": unit.id}],
        due_kind="after_hire",
        due_days=30,
    )
    before = db.scalar(select(func.count()).select_from(AuditEvent))
    preview = preview_requirement(db, data=spec, today=TODAY)
    assert (preview.added, preview.overdue_at_once, preview.exceptions) == (4, 3, 1)
    assert sorted(preview.sample_added) == sorted([p.name for p in people] + preview.sample_added[3:])
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert db.scalar(select(func.count()).select_from(Assignment)) == 0


def test_archiving_closes_everything(db: Session) -> None:
    make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], today=TODAY)
    result = archive_requirement(
        db, requirement_id=requirement.id, actor=ADMIN, reason="replaced", today=TODAY
    )
    assert result.closed >= 1 and not _active(db, requirement.id)


def test_the_audit_trail_cannot_be_changed(db: Session) -> None:
    make_person(db)
    make_requirement(db, items=[make_item(db)], today=TODAY)
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("UPDATE audit_events SET actor = 'someone else'"))
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("DELETE FROM audit_events"))


def test_one_assignment_per_requirement_and_person(db: Session) -> None:
    person = make_person(db)
    requirement = make_requirement(db, items=[make_item(db)], today=TODAY)
    savepoint = db.begin_nested()
    db.add(Assignment(requirement_id=requirement.id, person_id=person.id, assigned_on=TODAY))
    with pytest.raises(IntegrityError):
        db.flush()
    savepoint.rollback()
    assert Actor.system("x").label == "system (x)"

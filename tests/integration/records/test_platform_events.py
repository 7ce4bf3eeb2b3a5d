"""Platform events become statements in the LRS, each with its verb, object, actor and origin, written
by a job once the transaction that caused them commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import principal_for
from learnbridge.core.jobs import Job
from learnbridge.lrs.statements import parse_time
from learnbridge.pull.plans import add_goal, update_goal
from learnbridge.pull.schemas import GoalPatch
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import record_completion
from learnbridge.push.models import Assignment
from learnbridge.push.requirements import assign_by_manager
from learnbridge.push.schemas import ManagerAssignIn
from learnbridge.records import service as records
from learnbridge.records.models import Origin
from learnbridge.records.platform_events import JOB
from learnbridge.records.platform_iris import (
    COURSE,
    LINK,
    MEETING,
    OBJECTIVE,
    goal_activity_id,
    item_activity_id,
    requirement_activity_id,
    resolve,
    session_activity_id,
)
from learnbridge.sessions import booking as bookings
from learnbridge.sessions.attendance import mark_attendance
from learnbridge.sessions.platform_events import registration
from tests.factories import (
    make_account,
    make_item,
    make_person,
    make_plan,
    make_requirement,
    make_session,
    make_skill,
)
from tests.integration.records.platform_helpers import BASE, mbox, origin_of, platform_statements, run_jobs

ADMIN = Actor(label="admin@example.org")


def test_nothing_is_written_before_the_job_runs(db: Session) -> None:
    person = make_person(db)
    records.record_opening(db, person_id=person.id, item_id=make_item(db).id, origin=Origin.self)
    assert db.scalars(select(Job).where(Job.kind == JOB)).one().payload["events"][0]["verb"] == "launched"
    assert platform_statements(db) == []
    run_jobs(db)
    assert len(platform_statements(db, "launched")) == 1


def test_a_booked_seat_is_registered_on_the_session_with_the_bookings_origin(db: Session) -> None:
    item = make_item(db)
    session = make_session(db, item=item, capacity=1)
    ada, bo = make_person(db, email="Ada@Example.org", name="Ada"), make_person(db)
    first = bookings.book_seat(db, session_id=session.id, person_id=ada.id, origin=Origin.recommendation)
    waiting = bookings.book_seat(db, session_id=session.id, person_id=bo.id, origin=Origin.plan)
    run_jobs(db)
    [booked] = platform_statements(db, "registered")
    assert booked["actor"] == {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.org"}
    assert booked["verb"]["id"] == "http://adlnet.gov/expapi/verbs/registered"
    assert booked["object"]["id"] == session_activity_id(BASE, session.id)
    assert booked["object"]["definition"]["type"] == MEETING
    assert booked["context"]["registration"] == registration(first.id)
    assert booked["context"]["contextActivities"]["parent"][0]["id"] == item_activity_id(BASE, item.id)
    assert booked["context"]["platform"] == "Learnbridge"
    assert origin_of(booked) == "recommendation"
    assert booked["authority"]["account"] == {"homePage": f"{BASE}/xapi", "name": "learnbridge"}
    # A waitlisted booking registers when it is promoted to a seat.
    bookings.cancel_booking(db, session_id=session.id, person_id=ada.id)
    run_jobs(db)
    [_, promoted] = platform_statements(db, "registered")
    assert promoted["actor"]["mbox"] == mbox(bo.email)
    assert promoted["context"]["registration"] == registration(waiting.id)
    assert origin_of(promoted) == "plan"


def test_a_booking_waiting_for_approval_registers_once_approved(db: Session) -> None:
    manager = make_person(db)
    principal = principal_for(db, make_account(db, manager))
    learner = make_person(db, manager_id=manager.id)
    session = make_session(db, approval_mode="manager")
    pending = bookings.book_seat(db, session_id=session.id, person_id=learner.id, origin=Origin.self)
    run_jobs(db)
    assert platform_statements(db, "registered") == []
    bookings.approve_booking(db, booking_id=pending.id, principal=principal)
    run_jobs(db)
    [approved] = platform_statements(db, "registered")
    assert approved["actor"]["mbox"] == mbox(learner.email) and origin_of(approved) == "self"


def test_attendance_is_attended_on_the_session_in_the_bookings_registration(db: Session) -> None:
    session = make_session(db)
    person = make_person(db)
    booking = bookings.book_seat(db, session_id=session.id, person_id=person.id, origin=Origin.manager)
    now = dt.datetime.now(dt.UTC)
    session.starts_at, session.ends_at = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
    principal = principal_for(db, make_account(db, ld_admin=True))
    mark_attendance(db, session_id=session.id, attended=[person.id], no_show=[], principal=principal, now=now)
    # Marking them attended again changes nothing, so it says nothing new.
    later = now + dt.timedelta(minutes=5)
    mark_attendance(
        db, session_id=session.id, attended=[person.id], no_show=[], principal=principal, now=later
    )
    run_jobs(db)
    [attended] = platform_statements(db, "attended")
    assert attended["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert attended["object"]["id"] == session_activity_id(BASE, session.id)
    assert attended["actor"]["mbox"] == mbox(person.email)
    assert attended["context"]["registration"] == registration(booking.id)
    assert origin_of(attended) == "manager"
    # When it happened: the end of the session, as for the completion attendance records.
    assert attended["timestamp"].startswith(session.ends_at.strftime("%Y-%m-%dT%H:%M:%S"))


def test_a_goal_set_in_a_plan_and_a_new_level_later(db: Session) -> None:
    person = make_person(db)
    plan = make_plan(db, person=person)
    skill = make_skill(db)
    goal = add_goal(db, plan_id=plan.id, title="Lead a shift", skill_id=skill.id, target_level=2)
    run_jobs(db)
    [goal_set] = platform_statements(db, "set-goal")
    assert goal_set["verb"] == {"id": resolve(BASE, "/xapi/verbs/set-goal"), "display": {"en": "set a goal"}}
    assert goal_set["object"]["id"] == goal_activity_id(BASE, plan.id, goal.id)
    assert goal_set["object"]["definition"] == {"type": OBJECTIVE, "name": {"en": "Lead a shift"}}
    assert goal_set["context"]["contextActivities"]["parent"][0]["id"] == f"{BASE}/plans/{plan.id}"
    assert goal_set["actor"]["mbox"] == mbox(person.email) and origin_of(goal_set) == "plan"
    update_goal(db, plan_id=plan.id, goal_id=goal.id, data=GoalPatch(title="Lead the night shift"))
    run_jobs(db)
    assert len(platform_statements(db, "set-goal")) == 1  # a new title is not a new goal
    update_goal(db, plan_id=plan.id, goal_id=goal.id, data=GoalPatch(target_level=3))
    run_jobs(db)
    assert len(platform_statements(db, "set-goal")) == 2


def test_an_opened_resource_is_launched_with_the_openings_origin(db: Session) -> None:
    person = make_person(db, email=None)
    resource = make_item(db, kind="resource")
    records.record_opening(db, person_id=person.id, item_id=resource.id, origin=Origin.recommendation)
    run_jobs(db)
    [launched] = platform_statements(db, "launched")
    assert launched["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert launched["object"]["id"] == item_activity_id(BASE, resource.id)
    assert launched["object"]["definition"]["type"] == LINK
    # Without an e-mail address the person is their account on the platform.
    assert launched["actor"] == {
        "objectType": "Agent",
        "name": person.name,
        "account": {"homePage": BASE, "name": person.external_id},
    }
    assert origin_of(launched) == "recommendation"


def test_a_completion_recorded_by_hand_is_completed_with_what_brought_the_person_to_it(db: Session) -> None:
    item = make_item(db)
    enrolled, assigned, by_manager, alone = (make_person(db) for _ in range(4))
    records.enrol(db, person_id=enrolled.id, item_id=item.id, origin=Origin.recommendation)
    make_requirement(db, items=[item], rules=[{"kind": "person", "person_id": assigned.id}])
    manager = make_person(db)
    by_manager.manager_id = manager.id
    db.flush()
    spec = ManagerAssignIn(
        item_id=item.id, person_ids=[by_manager.id], due_on=dt.date.today(), reason="Needed"
    )
    assign_by_manager(db, manager_id=manager.id, data=spec, actor=ADMIN)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    for person in (enrolled, assigned, by_manager, alone):
        record_completion(
            db, person_id=person.id, item_id=item.id, completed_at=when, evidence="Signed sheet", actor=ADMIN
        )
    run_jobs(db)
    completed = {s["actor"]["mbox"]: s for s in platform_statements(db, "completed")}
    origins = {email: origin_of(s) for email, s in completed.items()}
    assert origins == {
        mbox(enrolled.email): "recommendation",
        mbox(assigned.email): "requirement",
        mbox(by_manager.email): "manager",
        mbox(alone.email): "self",
    }
    statement = completed[mbox(alone.email)]
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["object"]["id"] == item_activity_id(BASE, item.id)
    assert statement["object"]["definition"]["type"] == COURSE
    assert statement["result"] == {"completion": True}
    assert parse_time(statement["timestamp"]) == when


def test_assignments_are_assigned_on_the_requirement_by_whoever_assigned_them(db: Session) -> None:
    item = make_item(db)
    people = [make_person(db) for _ in range(3)]
    rules = [{"kind": "person", "person_id": p.id} for p in people]
    requirement = make_requirement(db, items=[item], rules=rules)
    manager = make_person(db)
    report = make_person(db, manager_id=manager.id)
    spec = ManagerAssignIn(item_id=item.id, person_ids=[report.id], due_on=dt.date.today(), reason="Needed")
    assigned_by_manager = assign_by_manager(db, manager_id=manager.id, data=spec, actor=ADMIN)
    run_jobs(db)
    statements = platform_statements(db, "assigned")
    by_person = {s["actor"]["mbox"]: s for s in statements}
    assert len(statements) == 4 and set(by_person) == {mbox(p.email) for p in [*people, report]}
    required = by_person[mbox(people[0].email)]
    assert required["object"]["id"] == requirement_activity_id(BASE, requirement.id)
    assert required["object"]["definition"]["name"] == {"en": requirement.name}
    assert required["verb"] == {
        "id": resolve(BASE, "/xapi/verbs/assigned"),
        "display": {"en": "was assigned"},
    }
    assert origin_of(required) == "requirement"
    managed = by_person[mbox(report.email)]
    assert managed["object"]["id"] == requirement_activity_id(BASE, assigned_by_manager.id)
    assert origin_of(managed) == "manager"
    assert db.scalar(select(Assignment.id).where(Assignment.person_id == report.id)) is not None

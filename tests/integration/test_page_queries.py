"""Every key page answers in a bounded number of queries, however much it shows (no N+1): each page is
read by the same person with little data and with more, through HTTP, and the statements counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from learnbridge.core.db import utcnow
from learnbridge.people.models import Person
from learnbridge.pull.plans import add_goal, add_plan_item
from learnbridge.sessions.booking import book_seat
from tests.factories import (
    login,
    make_account,
    make_completion,
    make_item,
    make_person,
    make_plan,
    make_profile,
    make_requirement,
    make_session,
    make_skill,
    make_unit,
)


@dataclass
class World:
    manager: Person
    learner: Person
    plan_id: int
    item_id: int
    days: int = 3  # the next session's start, days from now: one session a day, so none overlap


def _grow(db: Session, world: World, rounds: int) -> None:
    """`rounds` more of everything the pages show: reports (each in a unit and profile of their own),
    items, requirements for everyone, completions, sessions booked, plan goals and planned items."""
    for _ in range(rounds):
        make_person(
            db, manager_id=world.manager.id, org_unit_id=make_unit(db).id, job_profile_id=make_profile(db).id
        )
        skill = make_skill(db)
        item = make_item(db, skills=[(skill, 2)])
        make_requirement(db, items=[item])
        make_completion(db, person=world.learner, item=make_item(db, skills=[(skill, 1)]))
        starts = (utcnow() + dt.timedelta(days=world.days)).replace(microsecond=0)
        world.days += 1
        session = make_session(db, item=item, starts_at=starts)
        book_seat(db, session_id=session.id, person_id=world.learner.id)
        goal = add_goal(db, plan_id=world.plan_id, title="A goal", skill_id=skill.id, target_level=2)
        add_plan_item(db, plan_id=world.plan_id, item_id=item.id, goal_id=goal.id)
        add_plan_item(db, plan_id=world.plan_id, session_id=session.id)
    db.commit()


@pytest.fixture
def world(db: Session) -> World:
    manager = make_person(db, name="Mo Manager", org_unit_id=make_unit(db).id)
    learner = make_person(db, name="Lee Learner", manager_id=manager.id, org_unit_id=make_unit(db).id)
    for person in (manager, learner):
        make_account(db, person)
    make_account(db, ld_admin=True, email="admin@queries.example")
    make_account(db, auditor=True, email="auditor@queries.example")
    plan = make_plan(db, person=learner)
    item = make_item(db, title="The item")
    world = World(manager=manager, learner=learner, plan_id=plan.id, item_id=item.id)
    _grow(db, world, 1)
    return world


@contextmanager
def _counted(db: Session) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    connection = db.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _read(client: TestClient, db: Session, path: str) -> list[str]:
    db.expunge_all()
    client.get(path)  # warm: caches filled once per process are not what grows with the data
    db.expunge_all()
    with _counted(db) as statements:
        answer = client.get(path)
    assert answer.status_code == 200, (path, answer.text[:500])
    return statements


PAGES = {
    "learner": [
        "/",
        "/catalog",
        "/catalog/{item}",
        "/plan",
        "/for-you",
        "/sessions",
        "/bookings",
        "/people/{learner}",
        "/api/v1/me/assignments",
    ],
    "manager": ["/", "/team", "/team/compliance", "/team/plans", "/people/{learner}"],
    "admin": ["/", "/compliance", "/audit", "/people/{learner}", "/admin/requirements", "/admin/catalog"],
    "auditor": ["/", "/compliance", "/audit", "/people/{learner}"],
}
EMAILS = {"admin": "admin@queries.example", "auditor": "auditor@queries.example"}


@pytest.mark.parametrize("role", list(PAGES))
def test_each_key_page_reads_in_a_fixed_number_of_queries(
    client: TestClient, db: Session, world: World, role: str
) -> None:
    email = EMAILS.get(role) or (world.learner if role == "learner" else world.manager).email
    assert email
    login(client, email)
    paths = [p.format(item=world.item_id, learner=world.learner.id) for p in PAGES[role]]
    few = {path: _read(client, db, path) for path in paths}
    _grow(db, world, 4)
    grown = []
    for path in paths:
        many = _read(client, db, path)
        if len(many) > len(few[path]):
            grown.append(f"{path}: {len(few[path])} -> {len(many)} statements")
    assert not grown, "\n".join(grown)

"""The plan page and Team plans read in a fixed number of queries, however much is planned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from learnbridge.core.db import utcnow
from learnbridge.people.models import Person
from learnbridge.pull.plan_views import plan_view, team_plans
from learnbridge.pull.plans import add_goal, add_plan_item
from learnbridge.pull.sharing import share_plan
from learnbridge.sessions.models import LearningSession
from tests.factories import make_item, make_person, make_plan, make_skill


@contextmanager
def counted(db: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = db.get_bind()

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _fill(db: Session, person: Person, n: int) -> int:
    plan = make_plan(db, person=person)
    for _ in range(n):
        goal = add_goal(db, plan_id=plan.id, title="A goal", skill_id=make_skill(db).id, target_level=2)
        item = make_item(db)
        session = LearningSession(
            item_id=item.id,
            starts_at=utcnow() + dt.timedelta(days=3),
            ends_at=utcnow() + dt.timedelta(days=3, hours=1),
            capacity=5,
        )
        db.add(session)
        db.flush()
        add_plan_item(db, plan_id=plan.id, item_id=item.id, goal_id=goal.id)
        add_plan_item(db, plan_id=plan.id, session_id=session.id)
        add_plan_item(db, plan_id=plan.id, activity="Shadow")
    return plan.id


def _queries(db: Session, read: Callable[[], object]) -> int:
    db.expire_all()
    with counted(db) as statements:
        read()
    return len(statements)


def test_the_plan_page_reads_in_a_fixed_number_of_queries(db: Session) -> None:
    small, large = make_person(db), make_person(db)
    one, six = _fill(db, small, 1), _fill(db, large, 6)
    few = _queries(db, lambda: plan_view(db, plan_id=one, viewer_id=small.id))
    many = _queries(db, lambda: plan_view(db, plan_id=six, viewer_id=large.id))
    assert few == many and many <= 12


def test_team_plans_read_in_a_fixed_number_of_queries(db: Session) -> None:
    boss = make_person(db)
    for n in range(5):
        person = make_person(db, manager_id=boss.id)
        share_plan(db, plan_id=_fill(db, person, n % 2 + 1), person_id=person.id, shared=True)
    db.expire_all()
    with counted(db) as statements:
        found = team_plans(db, manager_id=boss.id)
        [row.progress.percent for row in found.rows]
    assert len(found.rows) == 5 and len(statements) <= 8

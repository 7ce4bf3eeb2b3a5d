"""The demo organisation's pull side: sessions over the next eight weeks, plans and ratings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine, utcnow
from learnbridge.people.models import Person
from learnbridge.pull.models import DevelopmentConversation, DevelopmentPlan, PlanGoal, PlanItem
from learnbridge.sessions.models import ApprovalMode, Booking, BookingStatus, LearningSession
from learnbridge.skills.models import Rater, SkillRating
from tests.helpers.databases import create_database, drop_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp("demo"), demo=True)
    engine = make_engine(url)
    with Session(engine) as db:
        yield db
    engine.dispose()
    drop_database(handle)


def _person(db: Session, email: str) -> Person:
    return db.scalars(select(Person).where(Person.email == email)).one()


def test_sessions_run_over_the_next_eight_weeks_some_nearly_full_one_full_one_needing_approval(
    demo: Session,
) -> None:
    sessions = list(demo.scalars(select(LearningSession)))
    now = utcnow()
    assert len(sessions) == 8
    assert all(now < s.starts_at < now + dt.timedelta(weeks=9) for s in sessions)
    booked = dict(
        demo.execute(
            select(Booking.session_id, func.count())
            .where(Booking.status == BookingStatus.booked.value)
            .group_by(Booking.session_id)
        ).all()
    )
    left = {s.id: s.capacity - booked.get(s.id, 0) for s in sessions}
    assert sum(1 for value in left.values() if value == 0) == 1
    assert sum(1 for value in left.values() if 0 < value <= 2) >= 2
    approval = [s for s in sessions if s.approval_mode == ApprovalMode.manager.value]
    assert len(approval) == 1
    full = next(s for s in sessions if left[s.id] == 0)
    manager = _person(demo, "manager@example.com")
    assert demo.scalar(select(Booking).where(Booking.session_id == full.id, Booking.person_id == manager.id))


def test_the_learner_has_a_shared_plan_with_goals_learning_a_conversation_and_ratings(demo: Session) -> None:
    learner = _person(demo, "learner@example.com")
    plan = demo.scalars(select(DevelopmentPlan).where(DevelopmentPlan.person_id == learner.id)).one()
    assert plan.shared_with_manager
    goals = list(demo.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id)))
    assert {g.title for g in goals} >= {"Lead a team"} and all(g.skill_id and g.target_level for g in goals)
    items = list(demo.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id)))
    assert any(i.activity for i in items) and any(i.item_id for i in items)
    assert demo.scalar(select(DevelopmentConversation).where(DevelopmentConversation.plan_id == plan.id))
    raters = set(demo.scalars(select(SkillRating.rater).where(SkillRating.person_id == learner.id)))
    assert raters == {Rater.self.value, Rater.manager.value}
    assert (demo.scalar(select(func.count()).select_from(DevelopmentPlan)) or 0) > 10

"""Skill gaps: targets from the active plan's open goals and the job profile, current level from the
manager's rating, else the self rating, else 0."""

from __future__ import annotations

from sqlalchemy.orm import Session

from learnbridge.pull.gaps import skill_gaps, skill_profile
from learnbridge.pull.models import GoalStatus, PlanStatus
from learnbridge.skills.models import Rater
from learnbridge.skills.service import rate_skill, require_skill
from tests.factories import make_framework, make_goals, make_person, make_profile, make_skill


def test_gap_from_a_goal_keeps_the_goal_as_its_source(db: Session) -> None:
    coaching = make_skill(db, make_framework(db, levels=("1", "2", "3", "4")), name="Coaching")
    person = make_person(db)
    make_goals(db, person=person, goals=[("Lead a team", coaching, 3), ("Read more", None, None)])
    (gap,) = skill_gaps(db, person_id=person.id)
    assert (gap.skill, gap.target, gap.current, gap.gap) == ("Coaching", 3, 0, 3)
    assert [goal.title for goal in gap.goals] == ["Lead a team"] and gap.profile is None


def test_gap_from_the_job_profile_and_the_higher_target_wins(db: Session) -> None:
    framework = make_framework(db, levels=("1", "2", "3", "4"))
    forklift, coaching = make_skill(db, framework, "Forklift safety"), make_skill(db, framework, "Coaching")
    profile = make_profile(db, "Warehouse Operative")
    require_skill(db, job_profile=profile, skill=forklift, level=2)
    require_skill(db, job_profile=profile, skill=coaching, level=2)
    person = make_person(db, job_profile_id=profile.id)
    make_goals(db, person=person, goals=[("Coach new starters", coaching, 4)])
    gaps = {gap.skill: gap for gap in skill_gaps(db, person_id=person.id)}
    assert gaps["Forklift safety"].target == 2 and gaps["Forklift safety"].profile == "Warehouse Operative"
    assert gaps["Coaching"].target == 4 and gaps["Coaching"].profile_level == 2
    assert gaps["Coaching"].goal_level == 4
    # The widest gap first.
    assert [gap.skill for gap in skill_gaps(db, person_id=person.id)] == ["Coaching", "Forklift safety"]


def test_manager_rating_beats_self_rating_and_met_targets_are_no_gap(db: Session) -> None:
    framework = make_framework(db, levels=("1", "2", "3", "4"))
    skill = make_skill(db, framework, "Negotiation")
    manager = make_person(db)
    person = make_person(db, manager_id=manager.id)
    make_goals(db, person=person, goals=[("Close bigger deals", skill, 3)])
    rate_skill(db, person_id=person.id, skill_id=skill.id, level=3, rater=Rater.self, rated_by_id=person.id)
    assert skill_gaps(db, person_id=person.id) == []
    rate_skill(
        db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.manager, rated_by_id=manager.id
    )
    (gap,) = skill_gaps(db, person_id=person.id)
    assert (gap.self_level, gap.manager_level, gap.current, gap.gap) == (3, 1, 1, 2)


def test_closed_plans_and_achieved_goals_set_no_target(db: Session) -> None:
    skill = make_skill(db, name="Budgeting")
    person = make_person(db)
    closed = make_goals(db, person=person, goals=[("Old goal", skill, 3)])
    closed.status = PlanStatus.closed.value
    active = make_goals(db, person=person, goals=[("Done goal", skill, 3)])
    active.goals[0].status = GoalStatus.achieved.value
    db.flush()
    assert skill_gaps(db, person_id=person.id) == []
    # Rated skills still appear on the person's skill list, with no target.
    rate_skill(db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.self, rated_by_id=person.id)
    (row,) = skill_profile(db, person_id=person.id)
    assert (row.target, row.current, row.gap) == (0, 1, 0)

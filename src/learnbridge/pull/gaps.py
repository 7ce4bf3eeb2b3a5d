"""Skill gaps: what a person is aiming for in each skill, where they are now, and why.

The target of a skill is the highest level asked of the person by an open goal of their active plan
or by their job profile. The current level is their manager's rating when there is one, else their
own, else 0: a manager's rating is the one a development conversation settled on, and someone who has
never rated a skill is treated as starting from nothing rather than left out of the gaps. A job
profile's requirement asks for at least its framework's proficient level: a level below it is never
met (a goal is the person's own aim and keeps the level they chose)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from learnbridge.core.errors import NotFound
from learnbridge.people.models import JobProfile, Person
from learnbridge.pull.models import DevelopmentPlan, GoalStatus, PlanGoal, PlanStatus
from learnbridge.skills.models import Framework, JobProfileSkill, Rater, Skill, SkillRating
from learnbridge.skills.service import required_level

# A requirement of the job profile the person has not made a goal of weighs less than a goal: an
# unrated job skill is often one they already have, while a goal is what they chose to work on.
PROFILE_ONLY = 0.6


@dataclass(frozen=True)
class GoalNeed:
    """An open goal of the active plan that names a skill and a level."""

    goal_id: int
    title: str
    level: int


@dataclass
class SkillGap:
    """One skill: the target and where it comes from, both ratings, and the current level."""

    skill_id: int
    skill: str
    level_names: dict[int, str]
    max_level: int
    goals: list[GoalNeed] = field(default_factory=list)
    profile: str | None = None
    profile_level: int | None = None
    self_level: int | None = None
    manager_level: int | None = None

    @property
    def goal_level(self) -> int | None:
        return max((goal.level for goal in self.goals), default=None)

    @property
    def target(self) -> int:
        return max(self.goal_level or 0, self.profile_level or 0)

    @property
    def current(self) -> int:
        if self.manager_level is not None:
            return self.manager_level
        return self.self_level if self.self_level is not None else 0

    @property
    def gap(self) -> int:
        return max(0, self.target - self.current)

    @property
    def top_goal(self) -> GoalNeed | None:
        """The goal asking for the highest level (the first such goal)."""
        return max(self.goals, key=lambda goal: goal.level, default=None)

    def fit(self, level: int) -> float:
        """How well an item teaching this skill at a level serves the gap: 1 for exactly the target,
        less above it, a step towards it in proportion to how far it goes, 0 if it teaches nothing
        above the current level. A goal the person set weighs more than their job profile alone."""
        if level <= self.current:
            return 0.0
        if level >= self.target:
            fit = max(0.3, 1.0 - 0.25 * (level - self.target))
        else:
            fit = 0.5 + 0.5 * (level - self.current) / (self.target - self.current)
        return fit if self.goals else PROFILE_ONLY * fit

    def level_name(self, level: int) -> str:
        return self.level_names.get(level, str(level))


def skill_profile(db: Session, *, person_id: int, shared_only: bool = False) -> list[SkillGap]:
    """Every skill asked of the person (by an open goal of their active plan or by their job profile)
    or rated for them, with target, ratings and current level; by skill name. `shared_only`: for anyone
    but the person, whose plan's goals count only once they shared the plan (plans are private)."""
    person = db.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person {person_id}.")
    goals = _goal_needs(db, person_id=person_id, shared_only=shared_only)
    required = _profile_levels(db, job_profile_id=person.job_profile_id)
    ratings = _ratings(db, person_id=person_id)
    skill_ids = set(goals) | set(required) | {skill_id for skill_id, _ in ratings}
    profile = db.get(JobProfile, person.job_profile_id) if person.job_profile_id else None
    gaps = {skill.id: _empty_gap(skill) for skill in _skills(db, skill_ids)}
    for skill_id, gap in gaps.items():
        gap.goals = goals.get(skill_id, [])
        if skill_id in required and profile is not None:
            gap.profile, gap.profile_level = profile.title, required[skill_id]
        gap.self_level = ratings.get((skill_id, Rater.self.value))
        gap.manager_level = ratings.get((skill_id, Rater.manager.value))
    return sorted(gaps.values(), key=lambda gap: gap.skill.lower())


def skill_gaps(db: Session, *, person_id: int) -> list[SkillGap]:
    """The skills where the target is above the current level, the widest gap first."""
    found = [gap for gap in skill_profile(db, person_id=person_id) if gap.gap > 0]
    return sorted(found, key=lambda gap: (-gap.gap, gap.skill.lower()))


def _goal_needs(db: Session, *, person_id: int, shared_only: bool = False) -> dict[int, list[GoalNeed]]:
    stmt = (
        select(PlanGoal.id, PlanGoal.title, PlanGoal.skill_id, PlanGoal.target_level)
        .join(DevelopmentPlan, DevelopmentPlan.id == PlanGoal.plan_id)
        .where(
            DevelopmentPlan.person_id == person_id,
            DevelopmentPlan.status == PlanStatus.active.value,
            PlanGoal.status == GoalStatus.open.value,
            PlanGoal.skill_id.is_not(None),
            PlanGoal.target_level.is_not(None),
        )
        .order_by(PlanGoal.position, PlanGoal.id)
    )
    if shared_only:
        stmt = stmt.where(DevelopmentPlan.shared_with_manager.is_(True))
    rows = db.execute(stmt)
    needs: dict[int, list[GoalNeed]] = defaultdict(list)
    for goal_id, title, skill_id, level in rows:
        if skill_id is not None and level is not None:
            needs[skill_id].append(GoalNeed(goal_id=goal_id, title=title, level=level))
    return needs


def _profile_levels(db: Session, *, job_profile_id: int | None) -> dict[int, int]:
    if job_profile_id is None:
        return {}
    rows = db.execute(
        select(JobProfileSkill.skill_id, required_level())
        .join(Skill, Skill.id == JobProfileSkill.skill_id)
        .join(Framework, Framework.id == Skill.framework_id)
        .where(JobProfileSkill.job_profile_id == job_profile_id)
    )
    return dict(rows.all())


def _ratings(db: Session, *, person_id: int) -> dict[tuple[int, str], int]:
    rows = db.execute(
        select(SkillRating.skill_id, SkillRating.rater, SkillRating.level).where(
            SkillRating.person_id == person_id
        )
    )
    return {(skill_id, rater): level for skill_id, rater, level in rows}


def _skills(db: Session, skill_ids: set[int]) -> list[Skill]:
    if not skill_ids:
        return []
    stmt = (
        select(Skill)
        .where(Skill.id.in_(skill_ids))
        .options(selectinload(Skill.framework).selectinload(Framework.levels))
    )
    return list(db.scalars(stmt))


def _empty_gap(skill: Skill) -> SkillGap:
    names = {level.level: level.name for level in skill.framework.levels}
    return SkillGap(
        skill_id=skill.id, skill=skill.name, level_names=names, max_level=skill.framework.max_level
    )

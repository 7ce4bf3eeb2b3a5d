"""The offering gap: which skills people need, at which level, against what the catalogue offers.

Demand counts people, never names them: people with an open goal of an active plan asking for the
skill at the level, and active people whose job profile requires the level while their current level
(manager's rating, else their own, else 0) is below it. Supply is the published items teaching the
skill at that level or above, and the seats of their upcoming sessions. Every figure is one GROUP BY
over the whole organisation; nothing loops over people."""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Result, Select, and_, func, literal, select, union
from sqlalchemy.orm import Session, aliased, selectinload

from learnbridge.catalog.models import ItemSkill, ItemStatus, LearningItem
from learnbridge.core.db import utcnow
from learnbridge.people.models import Person
from learnbridge.pull.models import DevelopmentPlan, GoalStatus, PlanGoal, PlanStatus
from learnbridge.sessions.models import LearningSession, SessionStatus
from learnbridge.skills.models import Framework, JobProfileSkill, Rater, Skill, SkillRating
from learnbridge.skills.service import required_level

# More people per item than this is "thin": one course rarely serves so many well.
PEOPLE_PER_ITEM = 25


# skill id -> taught level -> (how many, seats)
Supply = dict[int, dict[int, tuple[int, int]]]


class Coverage(enum.StrEnum):
    none = "none"
    thin = "thin"
    covered = "covered"


ADVICE = {
    Coverage.none: "Nothing teaches this at this level: build it in-house or buy it in.",
    Coverage.thin: "Demand far outruns supply: buy or build more, or run more sessions.",
    Coverage.covered: "Covered by the catalogue.",
}


@dataclass(frozen=True)
class OfferingGap:
    """Demand and supply for one skill at one level."""

    skill_id: int
    skill: str
    level: int
    level_name: str
    from_goals: int
    from_profiles: int
    demand: int
    items: int
    sessions: int
    seats: int

    @property
    def coverage(self) -> Coverage:
        if self.items == 0:
            return Coverage.none
        if self.demand > PEOPLE_PER_ITEM * self.items and self.seats < self.demand:
            return Coverage.thin
        return Coverage.covered

    @property
    def advice(self) -> str:
        return ADVICE[self.coverage]


def offering_gaps(
    db: Session, *, gaps_only: bool = True, sort: str = "demand", now: dt.datetime | None = None
) -> list[OfferingGap]:
    """Each skill and level people need, with the catalogue's coverage; the gaps (no coverage or
    thin) only unless asked for all; by demand (largest first) or by skill name."""
    goals, profiles = _goal_demand(db), _profile_demand(db)
    total = _total_demand(db)
    items, sessions = _supply(db, now or utcnow())
    names = _names(db, {skill_id for skill_id, _ in total})
    rows = [
        OfferingGap(
            skill_id=skill_id,
            skill=names[skill_id][0],
            level=level,
            level_name=names[skill_id][1].get(level, str(level)),
            from_goals=goals.get((skill_id, level), 0),
            from_profiles=profiles.get((skill_id, level), 0),
            demand=people,
            items=_at_or_above(items.get(skill_id, {}), level)[0],
            sessions=_at_or_above(sessions.get(skill_id, {}), level)[0],
            seats=_at_or_above(sessions.get(skill_id, {}), level)[1],
        )
        for (skill_id, level), people in total.items()
    ]
    if gaps_only:
        rows = [row for row in rows if row.coverage != Coverage.covered]
    if sort == "skill":
        return sorted(rows, key=lambda row: (row.skill.lower(), row.level))
    return sorted(rows, key=lambda row: (-row.demand, row.skill.lower(), row.level))


def _goal_needs() -> Select[int, int | None, int | None]:
    return (
        select(DevelopmentPlan.person_id, PlanGoal.skill_id, PlanGoal.target_level)
        .join(DevelopmentPlan, DevelopmentPlan.id == PlanGoal.plan_id)
        .join(Person, Person.id == DevelopmentPlan.person_id)
        .where(
            Person.active.is_(True),  # leavers' plans are no demand
            DevelopmentPlan.status == PlanStatus.active.value,
            PlanGoal.status == GoalStatus.open.value,
            PlanGoal.skill_id.is_not(None),
            PlanGoal.target_level.is_not(None),
        )
    )


def _profile_needs() -> Select[int, int, int]:
    """Active people below the level their job profile requires (at least the proficient level)."""
    manager, own = aliased(SkillRating), aliased(SkillRating)

    def rating(alias: type[SkillRating], rater: Rater) -> ColumnElement[bool]:
        return and_(
            alias.person_id == Person.id,
            alias.skill_id == JobProfileSkill.skill_id,
            alias.rater == rater.value,
        )

    current = func.coalesce(manager.level, own.level, literal(0))
    required = required_level()
    return (
        select(Person.id, JobProfileSkill.skill_id, required)
        .join(Person, Person.job_profile_id == JobProfileSkill.job_profile_id)
        .join(Skill, Skill.id == JobProfileSkill.skill_id)
        .join(Framework, Framework.id == Skill.framework_id)
        .outerjoin(manager, rating(manager, Rater.manager))
        .outerjoin(own, rating(own, Rater.self))
        .where(Person.active.is_(True), current < required)
    )


def _count(
    db: Session, needs: Select[int, int | None, int | None] | Select[int, int, int]
) -> dict[tuple[int, int], int]:
    sub = needs.subquery("needs")
    person, skill, level = sub.c
    stmt = select(skill, level, func.count(person.distinct())).group_by(skill, level)
    return {(s, lv): n for s, lv, n in db.execute(stmt)}


def _goal_demand(db: Session) -> dict[tuple[int, int], int]:
    return _count(db, _goal_needs())


def _profile_demand(db: Session) -> dict[tuple[int, int], int]:
    return _count(db, _profile_needs())


def _total_demand(db: Session) -> dict[tuple[int, int], int]:
    """People needing the skill at the level by either route, each counted once."""
    both = union(_goal_needs(), _profile_needs()).subquery("both")
    person, skill, level = both.c
    stmt = select(skill, level, func.count(person.distinct())).group_by(skill, level)
    return {(s, lv): n for s, lv, n in db.execute(stmt)}


def _supply(db: Session, now: dt.datetime) -> tuple[Supply, Supply]:
    """Per skill and taught level: (published items, 0) and (upcoming sessions, their seats)."""
    published = LearningItem.status == ItemStatus.published.value
    item_rows = db.execute(
        select(ItemSkill.skill_id, ItemSkill.level, func.count(), literal(0))
        .join(LearningItem, LearningItem.id == ItemSkill.item_id)
        .where(published)
        .group_by(ItemSkill.skill_id, ItemSkill.level)
    )
    session_rows = db.execute(
        select(ItemSkill.skill_id, ItemSkill.level, func.count(), func.sum(LearningSession.capacity))
        .join(LearningItem, LearningItem.id == ItemSkill.item_id)
        .join(LearningSession, LearningSession.item_id == ItemSkill.item_id)
        .where(
            published,
            LearningSession.status == SessionStatus.scheduled.value,
            LearningSession.starts_at > now,
        )
        .group_by(ItemSkill.skill_id, ItemSkill.level)
    )
    return _by_skill(item_rows), _by_skill(session_rows)


def _by_skill(rows: Result[int, int, int, int]) -> Supply:
    found: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for skill_id, level, count, extra in rows:
        found[skill_id][level] = (int(count), int(extra or 0))
    return found


def _at_or_above(levels: dict[int, tuple[int, int]], level: int) -> tuple[int, int]:
    """An item teaching a higher level also covers the lower ones."""
    picked = [value for taught, value in levels.items() if taught >= level]
    return sum(count for count, _ in picked), sum(extra for _, extra in picked)


def _names(db: Session, skill_ids: set[int]) -> dict[int, tuple[str, dict[int, str]]]:
    if not skill_ids:
        return {}
    skills = db.scalars(
        select(Skill)
        .where(Skill.id.in_(skill_ids))
        .options(selectinload(Skill.framework).selectinload(Framework.levels))
    )
    return {s.id: (s.name, {lv.level: lv.name for lv in s.framework.levels}) for s in skills}

"""Skill frameworks, their proficiency scales, and what each job profile requires."""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import Session, selectinload

from learnbridge.accounts.policy import reports_subtree
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from learnbridge.people.models import JobProfile, Person
from learnbridge.skills.models import Framework, JobProfileSkill, ProficiencyLevel, Rater, Skill, SkillRating

DEFAULT_LEVELS = ("Awareness", "Working", "Practitioner", "Advanced", "Expert")


def create_framework(
    db: Session,
    *,
    idnumber: str,
    name: str,
    levels: list[str] | tuple[str, ...] = DEFAULT_LEVELS,
    description: str = "",
) -> Framework:
    """A framework with its proficiency scale, lowest level first."""
    if not idnumber.strip():
        raise Invalid(field="idnumber", message="is required")
    if not levels:
        raise Invalid(field="levels", message="a framework needs at least one proficiency level")
    if db.scalar(select(Framework.id).where(Framework.idnumber == idnumber)) is not None:
        raise Conflict(f"A framework with ID number {idnumber!r} already exists.")
    framework = Framework(idnumber=idnumber.strip(), name=name.strip(), description=description)
    framework.levels = [ProficiencyLevel(level=n, name=label) for n, label in enumerate(levels, start=1)]
    db.add(framework)
    db.flush()
    return framework


def add_skill(
    db: Session,
    *,
    framework: Framework,
    idnumber: str,
    name: str,
    description: str = "",
    parent: Skill | None = None,
) -> Skill:
    skill = Skill(
        framework_id=framework.id,
        idnumber=idnumber,
        name=name,
        description=description,
        parent_id=parent.id if parent else None,
    )
    db.add(skill)
    db.flush()
    return skill


def list_skills(db: Session) -> list[Skill]:
    """Every skill with its framework, by name (for the demo's loader: pages find skills through
    skills.browse, which never reads a whole taxonomy)."""
    return list(
        db.scalars(
            select(Skill)
            .order_by(Skill.name)
            .options(selectinload(Skill.framework).selectinload(Framework.levels))
        )
    )


def get_skill(db: Session, skill_id: int) -> Skill:
    skill = db.get(Skill, skill_id)
    if skill is None:
        raise NotFound(f"No skill {skill_id}.")
    return skill


def require_skill(db: Session, *, job_profile: JobProfile, skill: Skill, level: int) -> JobProfileSkill:
    """Set the level a job profile requires of a skill (replacing any earlier level)."""
    top, proficient = skill.framework.max_level, skill.framework.proficient_level
    if not 1 <= level <= top:
        raise Invalid([FieldError(field="level", message=f"{skill.name} has levels 1 to {top}")])
    if level < proficient:
        message = f"{skill.name} counts as proficient from level {proficient}; a lower level never meets it"
        raise Invalid([FieldError(field="level", message=message)])
    link = db.scalar(
        select(JobProfileSkill).where(
            JobProfileSkill.job_profile_id == job_profile.id, JobProfileSkill.skill_id == skill.id
        )
    )
    if link is None:
        link = JobProfileSkill(job_profile_id=job_profile.id, skill_id=skill.id, level=level)
        db.add(link)
    link.level = level
    db.flush()
    return link


def required_level() -> ColumnElement[int]:
    """SQL for the level a job-profile requirement asks for: its level, raised to its framework's
    proficient level (a level below that never meets a requirement). The query joins `Skill` and
    `Framework` to the requirement."""
    return case(
        (JobProfileSkill.level < Framework.proficient_level, Framework.proficient_level),
        else_=JobProfileSkill.level,
    )


def profile_requirements(db: Session, *, job_profile_id: int) -> list[JobProfileSkill]:
    """What a job profile requires, by skill name."""
    return list(
        db.scalars(
            select(JobProfileSkill)
            .join(Skill)
            .where(JobProfileSkill.job_profile_id == job_profile_id)
            .order_by(Skill.name)
            .options(
                selectinload(JobProfileSkill.skill)
                .selectinload(Skill.framework)
                .selectinload(Framework.levels)
            )
        )
    )


def count_skills(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Skill)) or 0


def rate_skill(
    db: Session,
    *,
    person_id: int,
    skill_id: int,
    level: int,
    rater: Rater,
    rated_by_id: int,
    note: str = "",
) -> SkillRating:
    """Record a person's level in a skill, as they see it (rated by themself) or as their manager
    does (rated by someone above them in the management chain); the latest rating replaces the last."""
    _check_rater(db, person_id=person_id, rater=rater, rated_by_id=rated_by_id)
    skill = get_skill(db, skill_id)
    top = skill.framework.max_level
    if not 1 <= level <= top:
        raise Invalid([FieldError(field="level", message=f"{skill.name} has levels 1 to {top}")])
    rating = db.scalar(
        select(SkillRating).where(
            SkillRating.person_id == person_id,
            SkillRating.skill_id == skill_id,
            SkillRating.rater == rater.value,
        )
    )
    if rating is None:
        rating = SkillRating(person_id=person_id, skill_id=skill_id, rater=rater.value)
        db.add(rating)
    rating.level, rating.rated_by_id, rating.note, rating.rated_at = level, rated_by_id, note, utcnow()
    db.flush()
    return rating


def _check_rater(db: Session, *, person_id: int, rater: Rater, rated_by_id: int) -> None:
    if db.get(Person, person_id) is None:
        raise NotFound(f"No person {person_id}.")
    if rater == Rater.self and rated_by_id != person_id:
        raise Forbidden("Only the person themself gives a self rating.")
    if rater == Rater.manager and not is_manager_of(db, manager_id=rated_by_id, person_id=person_id):
        raise Forbidden("Only a manager of this person gives a manager rating.")


def is_manager_of(db: Session, *, manager_id: int, person_id: int) -> bool:
    """Whether the person is below the manager in the management chain (directly or not)."""
    below = reports_subtree(manager_id).subquery()
    return bool(db.scalar(select(exists().where(below.c.id == person_id))))


def ratings_for(db: Session, *, person_id: int) -> list[SkillRating]:
    """A person's self and manager ratings, by skill name then rater."""
    return list(
        db.scalars(
            select(SkillRating)
            .join(Skill)
            .where(SkillRating.person_id == person_id)
            .order_by(Skill.name, SkillRating.rater)
            .options(
                selectinload(SkillRating.skill).selectinload(Skill.framework).selectinload(Framework.levels)
            )
        )
    )

"""Skills JSON API: frameworks, job-profile requirements, CSV import."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.accounts.policy import can_change_skills, require
from learnbridge.core.deps import CsvFile, Db
from learnbridge.core.ids import Id
from learnbridge.people.service import get_job_profile
from learnbridge.skills import browse, service
from learnbridge.skills.importer import import_skills_csv
from learnbridge.skills.models import Framework, JobProfileSkill, Skill
from learnbridge.skills.schemas import (
    FrameworkOut,
    FrameworkPage,
    ProfileSkillIn,
    ProfileSkillOut,
    SkillImportOut,
    SkillOut,
    SkillPage,
)

router = APIRouter(tags=["skills"])


def framework_out(framework: Framework, skill_count: int) -> FrameworkOut:
    return FrameworkOut(
        id=framework.id,
        idnumber=framework.idnumber,
        name=framework.name,
        description=framework.description,
        levels=[level.name for level in framework.levels],
        proficient_level=framework.proficient_level,
        skill_count=skill_count,
    )


def skill_out(skill: Skill) -> SkillOut:
    return SkillOut(
        id=skill.id,
        idnumber=skill.idnumber,
        name=skill.name,
        description=skill.description,
        framework_id=skill.framework_id,
        parent_id=skill.parent_id,
    )


def profile_skill_out(link: JobProfileSkill) -> ProfileSkillOut:
    return ProfileSkillOut(
        skill_id=link.skill_id,
        skill=link.skill.name,
        level=link.level,
        level_name=link.skill.framework.level_name(link.level),
        required_level=link.required_level,
    )


@router.get("/skills/frameworks")
def list_frameworks(
    db: Db,
    principal: CurrentPrincipal,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FrameworkPage:
    """Frameworks by name with their scales; their skills are listed per framework, paged."""
    page = browse.frameworks_page(db, cursor=cursor, limit=limit)
    counts = browse.skill_counts(db, [f.id for f in page.items])
    return FrameworkPage(items=[framework_out(f, counts.get(f.id, 0)) for f in page.items], next=page.next)


@router.get("/skills/frameworks/{framework_id}/skills")
def list_framework_skills(
    framework_id: Id,
    db: Db,
    principal: CurrentPrincipal,
    q: Annotated[
        str,
        Query(max_length=browse.MAX_QUERY, description="Every word in the name (any case), or the ID number"),
    ] = "",
    parent: Annotated[Id | None, Query(description="Only the skills directly below this one")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> SkillPage:
    """A framework's skills by name, paged; `parent` and `q` narrow them."""
    page = browse.framework_skills(
        db, framework_id=framework_id, q=q, parent_id=parent, cursor=cursor, limit=limit
    )
    return SkillPage(items=[skill_out(s) for s in page.items], next=page.next)


@router.post(
    "/skills/import", openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}
)
def import_skills_from_csv(
    db: Db, principal: CurrentPrincipal, body: CsvFile, format: Literal["simple", "moodle"] = "simple"
) -> SkillImportOut:
    """Import a framework CSV sent as the body: `format=simple`, or `format=moodle` (Moodle export)."""
    require(can_change_skills(principal), "Only L&D admins import skills.")
    summary = import_skills_csv(db, text=body.text(), format=format)
    db.commit()
    return SkillImportOut(**summary.as_dict())


@router.get("/job-profiles/{profile_id}/skills")
def list_profile_skills(profile_id: Id, db: Db, principal: CurrentPrincipal) -> list[ProfileSkillOut]:
    get_job_profile(db, profile_id)
    return [profile_skill_out(link) for link in service.profile_requirements(db, job_profile_id=profile_id)]


@router.put("/job-profiles/{profile_id}/skills")
def set_profile_skill(
    profile_id: Id, body: ProfileSkillIn, db: Db, principal: CurrentPrincipal
) -> ProfileSkillOut:
    """Require a skill at a level for a job profile (replaces an earlier level)."""
    require(can_change_skills(principal), "Only L&D admins change job profiles.")
    link = service.require_skill(
        db,
        job_profile=get_job_profile(db, profile_id),
        skill=service.get_skill(db, body.skill_id),
        level=body.level,
    )
    db.commit()
    return profile_skill_out(link)

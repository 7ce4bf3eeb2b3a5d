"""Skills JSON API: frameworks, job-profile requirements, CSV import."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.accounts.policy import can_change_skills, require
from learnbridge.core.deps import CsvFile, Db
from learnbridge.core.ids import Id
from learnbridge.people.service import get_job_profile
from learnbridge.skills import service
from learnbridge.skills.importer import import_skills_csv
from learnbridge.skills.models import Framework, JobProfileSkill
from learnbridge.skills.schemas import FrameworkOut, ProfileSkillIn, ProfileSkillOut, SkillImportOut, SkillOut

router = APIRouter(tags=["skills"])


def framework_out(framework: Framework) -> FrameworkOut:
    return FrameworkOut(
        id=framework.id,
        idnumber=framework.idnumber,
        name=framework.name,
        description=framework.description,
        levels=[level.name for level in framework.levels],
        proficient_level=framework.proficient_level,
        skills=[
            SkillOut(
                id=s.id,
                idnumber=s.idnumber,
                name=s.name,
                description=s.description,
                framework_id=s.framework_id,
                parent_id=s.parent_id,
            )
            for s in framework.skills
        ],
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
def list_frameworks(db: Db, principal: CurrentPrincipal) -> list[FrameworkOut]:
    return [framework_out(f) for f in service.list_frameworks(db)]


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

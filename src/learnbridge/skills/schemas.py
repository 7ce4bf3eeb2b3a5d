"""API shapes for skills."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from learnbridge.core.ids import Id
from learnbridge.core.paging import Page


class SkillOut(BaseModel):
    id: int
    idnumber: str
    name: str
    description: str
    framework_id: int
    parent_id: int | None


class FrameworkOut(BaseModel):
    id: int
    idnumber: str
    name: str
    description: str
    levels: list[str] = Field(description="Proficiency level names, level 1 first")
    proficient_level: int = Field(
        description="The lowest level that counts as proficient; a lower one never meets a requirement"
    )
    skill_count: int = Field(
        description="How many skills the framework holds: list them at /skills/frameworks/{id}/skills"
    )


class FrameworkPage(Page[FrameworkOut]):
    pass


class SkillPage(Page[SkillOut]):
    pass


class ProfileSkillIn(BaseModel):
    skill_id: Id
    level: int = Field(ge=1, le=10)


class ProfileSkillOut(BaseModel):
    skill_id: int
    skill: str
    level: int
    level_name: str
    required_level: int = Field(description="The level asked for, never below the proficient level")


class SkillImportOut(BaseModel):
    frameworks_created: int
    skills_created: int
    skills_updated: int


class RatingIn(BaseModel):
    level: int = Field(ge=1, le=10)
    note: str = Field(default="", max_length=2000)


class RatingOut(BaseModel):
    skill_id: int
    skill: str
    rater: str
    level: int
    level_name: str
    rated_at: dt.datetime
    rated_by_id: int | None
    note: str

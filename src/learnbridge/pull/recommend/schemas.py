"""API shapes for recommendations, skill ratings and gaps, and the offering gap."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from learnbridge.core.ids import Id
from learnbridge.pull.models import FeedbackAction
from learnbridge.skills.schemas import RatingOut


class ItemBrief(BaseModel):
    id: int
    title: str
    kind: str
    format: str
    summary: str
    objectives: list[str]
    duration_minutes: int | None
    provider: str
    url: str
    skills: list[dict[str, int | str]] = Field(description="{skill_id, skill, level} the item teaches")


class SessionBrief(BaseModel):
    id: int
    starts_at: dt.datetime
    timezone: str
    location: str
    kind: str
    seats_left: int
    label: str = Field(description="When and where, as the For you page says it")


class RecommendationOut(BaseModel):
    item: ItemBrief
    session: SessionBrief | None
    score: float
    reason: str


class RecommendationsOut(BaseModel):
    items: list[RecommendationOut]


class FeedbackIn(BaseModel):
    item_id: Id
    action: FeedbackAction
    reason: str = Field(default="", max_length=2000)


class FeedbackOut(BaseModel):
    item_id: int
    action: str
    created_at: dt.datetime


class SkillGapOut(BaseModel):
    skill_id: int
    skill: str
    target: int
    current: int
    gap: int
    self_level: int | None
    manager_level: int | None
    goals: list[str] = Field(description="Titles of the open goals asking for this skill")
    profile: str | None = Field(description="The job profile requiring it, if it does")
    profile_level: int | None


class MySkillsOut(BaseModel):
    skills: list[SkillGapOut]
    ratings: list[RatingOut]


class OfferingGapOut(BaseModel):
    skill_id: int
    skill: str
    level: int
    level_name: str
    demand: int = Field(description="People needing it (by goal or job profile), each counted once")
    from_goals: int
    from_profiles: int
    items: int
    sessions: int
    seats: int
    coverage: str
    advice: str


class OfferingGapsOut(BaseModel):
    items: list[OfferingGapOut]

"""API shapes for the needs board."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from learnbridge.core.ids import Id
from learnbridge.core.paging import Page
from learnbridge.voice.models import NeedKind, NeedStatus


class NeedIn(BaseModel):
    """A need to raise. A bottleneck's cost is estimated from how often it happens, the minutes lost each
    time and the people it holds up; `private` keeps it to the people of `unit_id` and the units below."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=5000)
    kind: NeedKind
    unit_id: Id | None = Field(default=None, description="The unit where it happens")
    skill_id: Id | None = Field(default=None, description="The skill it touches")
    frequency: int | None = Field(default=None, ge=0, le=10_000, description="Times a week it happens")
    minutes_lost: int | None = Field(default=None, ge=0, le=100_000, description="Minutes lost each time")
    people_affected: int | None = Field(default=None, ge=1, le=1_000_000, description="People it holds up")
    private: bool = False


class NeedOut(BaseModel):
    id: int
    kind: NeedKind
    title: str
    description: str
    status: NeedStatus
    votes: int
    voted: bool = Field(description="Whether you have voted on it (your own need counts your vote)")
    unit_id: int | None
    skill_id: int | None
    private: bool
    frequency: int | None
    minutes_lost: int | None
    people_affected: int | None
    weekly_cost: int = Field(description="Estimated minutes lost a week (0 when not estimated)")
    cost: str = Field(description="The estimate in words: why the need sits where it does by cost")
    raised_by_id: int
    created_at: dt.datetime
    merged_into_id: int | None = Field(description="Set when merged: the need that carries its votes on")


class NeedPage(Page[NeedOut]):
    pass


class VoteOut(BaseModel):
    need_id: int
    votes: int = Field(description="The need's votes now")
    voted: bool = Field(description="Whether you have a vote on it now")


class StatusIn(BaseModel):
    """A triage decision: the new status and the reason everyone will read; a merge names `into_id`."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    status: NeedStatus
    reason: str = Field(min_length=1, max_length=2000)
    into_id: Id | None = None


class DecisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: dt.datetime
    actor: str
    status_from: NeedStatus
    status_to: NeedStatus
    reason: str

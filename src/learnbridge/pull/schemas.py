"""API shapes for development plans, enrolments and openings (recommendation shapes live in
pull.recommend.schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from learnbridge.core.dates import Day
from learnbridge.core.ids import Id
from learnbridge.pull.models import GoalStatus, PlanStatus
from learnbridge.records.models import Origin
from learnbridge.records.schemas import ChosenOrigin

DoneBy = Literal["hand", "completion", "attendance"]


class ConversationIn(BaseModel):
    """The development conversation the plan came out of; `with_person_id` defaults to the manager."""

    model_config = ConfigDict(str_strip_whitespace=True)

    held_on: Day
    with_person_id: Id | None = None
    note: str = Field(default="", max_length=5000)


class PlanIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=200)
    period_start: Day
    period_end: Day
    aspirations: str = Field(default="", max_length=5000)
    conversation: ConversationIn | None = None


class PlanPatch(BaseModel):
    """Change some fields; `status` closes a plan (it then shows under past plans) or reopens it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=3, max_length=200)
    period_start: Day | None = None
    period_end: Day | None = None
    aspirations: str | None = Field(default=None, max_length=5000)
    status: PlanStatus | None = None


class GoalIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=200)
    skill_id: Id | None = None
    target_level: int | None = Field(default=None, ge=1, le=100)
    target_date: Day | None = None
    description: str = Field(default="", max_length=5000)


class GoalPatch(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=3, max_length=200)
    skill_id: Id | None = None
    target_level: int | None = Field(default=None, ge=1, le=100)
    target_date: Day | None = None
    description: str | None = Field(default=None, max_length=5000)
    status: GoalStatus | None = None


class PlanItemIn(BaseModel):
    """Exactly one of a catalogue item, a session or a free-text activity."""

    model_config = ConfigDict(str_strip_whitespace=True)

    item_id: Id | None = None
    session_id: Id | None = None
    activity: str = Field(default="", max_length=1000)
    goal_id: Id | None = None
    origin: ChosenOrigin = Origin.plan
    target_date: Day | None = None


class DoneIn(BaseModel):
    done: bool


class CheckInIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    note: str = Field(default="", max_length=5000)
    progress: int | None = Field(default=None, ge=0, le=100)
    goal_id: Id | None = None


class ShareIn(BaseModel):
    shared: bool


class CommentIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    body: str = Field(min_length=1, max_length=5000)


class ItemProgressOut(BaseModel):
    id: int
    goal_id: int | None
    item_id: int | None
    session_id: int | None
    activity: str
    title: str
    origin: str
    target_date: dt.date | None
    done: bool
    done_by: DoneBy | None
    done_on: dt.date | None


class GoalOut(BaseModel):
    id: int
    title: str
    description: str
    skill_id: int | None
    skill: str | None
    target_level: int | None
    target_level_name: str | None
    target_date: dt.date | None
    status: str
    items_done: int
    items_total: int
    percent: int


class CheckInOut(BaseModel):
    id: int
    goal_id: int | None
    progress: int | None
    note: str
    created_at: dt.datetime


class CommentOut(BaseModel):
    id: int
    author_id: int
    author: str
    body: str
    created_at: dt.datetime


class ConversationOut(BaseModel):
    id: int
    held_on: dt.date
    with_person_id: int | None
    note: str


class PlanOut(BaseModel):
    id: int
    person_id: int
    title: str
    period_start: dt.date
    period_end: dt.date
    aspirations: str
    status: str
    shared_with_manager: bool
    acknowledged_at: dt.datetime | None
    acknowledged_by_id: int | None
    items_done: int
    items_total: int
    percent: int
    goals: list[GoalOut]
    items: list[ItemProgressOut]
    checkins: list[CheckInOut]
    comments: list[CommentOut]
    conversations: list[ConversationOut]


class PlanSummaryOut(BaseModel):
    id: int
    person_id: int
    person: str
    title: str
    period_start: dt.date
    period_end: dt.date
    status: str
    shared_with_manager: bool
    acknowledged_at: dt.datetime | None
    goals: int
    items_done: int
    items_total: int
    percent: int


class PlanSummaryPage(BaseModel):
    plans: list[PlanSummaryOut]
    next: str | None = Field(description="Pass as ?cursor= to get the next page; null on the last page")


class TakeUpIn(BaseModel):
    """Enrol in or open a catalogue item, saying what led there."""

    item_id: Id
    origin: ChosenOrigin = Origin.self


class EnrolmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    item_id: int
    origin: str
    enrolled_at: dt.datetime


class OpeningOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    item_id: int
    origin: str
    opened_at: dt.datetime

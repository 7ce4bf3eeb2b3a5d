"""API shapes for the catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from learnbridge.catalog.models import ItemFormat, ItemKind, ItemStatus, Provider
from learnbridge.core.ids import Id
from learnbridge.core.paging import Page

Objective = Annotated[str, Field(max_length=500)]


class SkillLevelIn(BaseModel):
    skill_id: Id
    level: int = Field(ge=1, le=10)


class ItemIn(BaseModel):
    """A learning item as an admin writes it. Objectives are one per entry (or one per line in forms)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=300)
    kind: ItemKind = ItemKind.course
    summary: str = Field(default="", max_length=5000)
    objectives: list[Objective] = Field(default_factory=list, max_length=30)
    skills: list[SkillLevelIn] = Field(default_factory=list, max_length=30)
    duration_minutes: int | None = Field(default=None, ge=1, le=100_000)
    format: ItemFormat = ItemFormat.self_paced
    provider: Provider = Provider.in_house
    vendor_name: str = Field(default="", max_length=200)
    cost: Decimal = Field(default=Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    url: str = Field(default="", max_length=1000)
    owner_id: Id | None = None
    steps: list[Id] = Field(default_factory=list, max_length=50, description="Item ids, for a pathway")

    @field_validator("url")
    @classmethod
    def _web_link(cls, value: str) -> str:
        # Only web links: a javascript: or data: URL in an href would run in every learner's browser.
        if value and not value.lower().startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value

    @field_validator("objectives")
    @classmethod
    def _drop_blank(cls, value: list[str]) -> list[str]:
        return [line.strip() for line in value if line.strip()]


class ItemPatch(BaseModel):
    """Change some fields; `status` moves an item between draft, published and retired."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=3, max_length=300)
    summary: str | None = Field(default=None, max_length=5000)
    objectives: list[Objective] | None = Field(default=None, max_length=30)
    status: ItemStatus | None = None


class SkillLevelOut(BaseModel):
    skill_id: int
    skill: str
    level: int
    level_name: str


class ItemOut(BaseModel):
    id: int
    kind: str
    title: str
    summary: str
    objectives: list[str]
    skills: list[SkillLevelOut]
    duration_minutes: int | None
    format: str
    provider: str
    vendor_name: str
    cost: Decimal
    currency: str
    url: str
    owner_id: int | None
    status: str
    steps: list[int]
    updated_at: dt.datetime
    published_at: dt.datetime | None


class ItemRef(BaseModel):
    """A catalogue item named where another resource points at it (a session, a requirement)."""

    id: int
    title: str


class ItemPage(Page[ItemOut]):
    """Catalogue items, a page at a time."""


class ItemActivitiesIn(BaseModel):
    """The xAPI activity IRIs that count for an item, and whether their sub-activities do."""

    model_config = ConfigDict(extra="forbid")
    iris: list[Annotated[str, Field(max_length=2048)]] = Field(default_factory=list, max_length=50)
    sub_activities: bool = False


class ItemActivitiesOut(BaseModel):
    iris: list[str]
    sub_activities: bool

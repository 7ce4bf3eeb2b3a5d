"""API shapes for people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from learnbridge.core.paging import Page
from learnbridge.people.xapi_ids import IFI_LIMIT, PER_PERSON


class OrgUnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    full_name: str
    parent_id: int | None
    path: str
    depth: int


class JobProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    title: str
    description: str


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    name: str
    email: str | None
    org_unit_id: int | None
    manager_id: int | None
    job_profile_id: int | None
    location: str | None
    hire_date: dt.date | None
    active: bool
    attributes: dict[str, Any]


class PeoplePage(Page[PersonOut]):
    """People, a page at a time."""


class ImportSummaryOut(BaseModel):
    rows: int
    created: int
    updated: int
    unchanged: int
    deactivated: int
    org_units_created: int
    job_profiles_created: int
    # Stored values an empty cell clears, per column ({"email": 3, "attr_shift": 1}), and their sum.
    cleared: dict[str, int]
    cleared_total: int
    # True when nothing was written: the numbers are what importing the file would do.
    dry_run: bool


class AccountIn(BaseModel):
    """An account on another system, as xAPI writes an agent's (1.0.3 Part 2, 2.4.2.4)."""

    homePage: str = Field(max_length=IFI_LIMIT)  # xAPI's spelling, kept so a client sends what it knows
    name: str = Field(min_length=1, max_length=IFI_LIMIT)


class IdentifierIn(BaseModel):
    """One of a person's other xAPI identifiers: an OpenID or an account on another system."""

    model_config = ConfigDict(extra="forbid")

    openid: str | None = Field(default=None, max_length=IFI_LIMIT)
    account: AccountIn | None = None


class IdentifiersIn(BaseModel):
    """All of a person's other xAPI identifiers (an empty list removes them)."""

    identifiers: list[IdentifierIn] = Field(max_length=PER_PERSON)


class AccountOut(BaseModel):
    homePage: str
    name: str


class IdentifierOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    openid: str | None
    account: AccountOut | None

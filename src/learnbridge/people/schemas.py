"""API shapes for people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from learnbridge.core.paging import Page


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

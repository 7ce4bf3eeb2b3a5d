"""API shapes for requirements, assignments, exemptions, completions and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from learnbridge.catalog.schemas import ItemRef
from learnbridge.core.dates import Day, Moment
from learnbridge.core.ids import Id
from learnbridge.core.paging import Page
from learnbridge.push.models import DueKind, Recipient, RenewFrom, RuleKind

Name = Annotated[str, Field(min_length=1, max_length=200)]


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: RuleKind
    exclude: bool = False
    org_unit_id: Id | None = None
    job_profile_id: Id | None = None
    person_id: Id | None = None
    attribute: Annotated[str, Field(max_length=100)] | None = None
    value: Annotated[str, Field(max_length=200)] | None = None

    @model_validator(mode="after")
    def _needs(self) -> RuleIn:
        needed = {
            RuleKind.unit: ("org_unit_id",),
            RuleKind.unit_tree: ("org_unit_id",),
            RuleKind.job_profile: ("job_profile_id",),
            RuleKind.person: ("person_id",),
            RuleKind.location: ("value",),
            RuleKind.attribute: ("attribute", "value"),
        }.get(self.kind, ())
        for name in needed:
            if getattr(self, name) in (None, ""):
                raise ValueError(f"a {self.kind.value} rule needs {name}")
        if self.kind == RuleKind.everyone and self.exclude:
            raise ValueError("everyone cannot be excluded")
        return self


class ReminderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offset_days: Annotated[
        int, Field(ge=-365, le=365, description="Days from the due date; negative = before")
    ]
    recipient: Recipient = Recipient.learner


DEFAULT_LADDER = [
    ReminderIn(offset_days=-14),
    ReminderIn(offset_days=-3),
    ReminderIn(offset_days=0),
    ReminderIn(offset_days=7, recipient=Recipient.manager),
    ReminderIn(offset_days=14, recipient=Recipient.ld),
]


class RequirementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Annotated[str, Field(max_length=4000)] = ""
    item_ids: Annotated[list[Id], Field(min_length=1, max_length=20)]
    rules: Annotated[list[RuleIn], Field(max_length=500)] = []
    due_kind: DueKind = DueKind.after_assignment
    due_date: Day | None = None
    due_days: Annotated[int, Field(ge=0, le=3650)] = 30
    grace_days: Annotated[int, Field(ge=0, le=365)] = 0
    validity_months: Annotated[int, Field(ge=1, le=240)] | None = None
    window_days: Annotated[int, Field(ge=0, le=365)] = 30
    renew_from: RenewFrom = RenewFrom.completion
    reminders: Annotated[list[ReminderIn], Field(max_length=20)] = DEFAULT_LADDER

    @model_validator(mode="after")
    def _due(self) -> RequirementIn:
        if self.due_kind == DueKind.fixed and self.due_date is None:
            raise ValueError("due_date is required when due_kind is fixed")
        return self


class RuleOut(RuleIn):
    description: str


class RequirementOut(BaseModel):
    id: int
    name: str
    description: str
    origin: str
    status: str
    item_ids: list[int]
    rules: list[RuleOut]
    due_kind: str
    due_date: dt.date | None
    due_days: int
    grace_days: int
    validity_months: int | None
    window_days: int
    renew_from: str
    reminders: list[ReminderIn]
    activated_at: dt.datetime | None
    updated_at: dt.datetime


class RequirementPage(BaseModel):
    items: list[RequirementOut]


class PreviewPerson(BaseModel):
    """One person whose assignment the rule would change."""

    person_id: int
    name: str
    change: Literal["assigned", "no longer required"]
    due_on: dt.date | None
    overdue: bool


class PreviewOut(BaseModel):
    added: int
    removed: int
    due_changed: int
    overdue_at_once: int
    exceptions: int
    sample_added: list[str]
    sample_removed: list[str]
    # Everyone the rule would assign or release, by name, a page at a time.
    people: list[PreviewPerson]
    page: int
    pages: int


class RequirementRef(BaseModel):
    id: int
    name: str
    origin: str


class AssignmentOut(BaseModel):
    id: int
    requirement: RequirementRef
    item: ItemRef
    items: list[ItemRef]
    person_id: int
    status: str
    assigned_on: dt.date
    due_at: dt.date | None
    completed_on: dt.date | None
    expires_on: dt.date | None
    cycle: int
    reason: str
    due_reason: str


class AssignmentPage(Page[AssignmentOut]):
    """Assignments, a page at a time."""


class ExemptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=3, max_length=2000)]
    ends_on: Day | None = None


class DueChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_on: Day
    reason: Annotated[str, Field(min_length=3, max_length=2000)]


class ManagerAssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: Id
    person_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    due_on: Day
    reason: Annotated[str, Field(min_length=3, max_length=2000)]


class BulkExemptionIn(BaseModel):
    """The team page's bulk exemption (the ticked people come as person_ids)."""

    model_config = ConfigDict(extra="ignore")

    requirement_id: Id
    reason: Annotated[str, Field(min_length=3, max_length=2000)]
    ends_on: Day | None = None


class CompletionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: Id
    item_id: Id
    completed_at: Moment
    evidence: Annotated[str, Field(max_length=4000)] = ""


class CompletionOut(BaseModel):
    id: int
    person_id: int
    item_id: int
    completed_at: dt.datetime
    source: str
    evidence: str


class ImportOut(BaseModel):
    created: int
    duplicates: int
    assignments_completed: int


class HeatCell(BaseModel):
    unit_id: int
    total: int
    compliant: int
    overdue: int
    exempt: int
    percent: float | None


class HeatRow(BaseModel):
    requirement: RequirementRef
    cells: list[HeatCell]
    total: HeatCell


class HeatColumn(BaseModel):
    unit_id: int
    name: str
    has_children: bool


class HeatmapOut(BaseModel):
    unit_id: int | None
    columns: list[HeatColumn]
    rows: list[HeatRow]


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    action: str
    requirement_id: int | None
    person_id: int | None
    assignment_id: int | None
    item_id: int | None
    completion_id: int | None
    detail: str
    reason: str


class AuditPage(Page[AuditOut]):
    """Audit events, newest first, a page at a time."""

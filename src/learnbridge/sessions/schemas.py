"""API shapes for sessions and bookings."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from learnbridge.catalog.schemas import ItemRef
from learnbridge.core.dates import WallClock
from learnbridge.core.ids import Id
from learnbridge.core.paging import Page
from learnbridge.records.models import Origin
from learnbridge.records.schemas import ChosenOrigin
from learnbridge.sessions.models import ApprovalMode, SessionKind


class SessionIn(BaseModel):
    """Times without an offset are wall-clock times in `timezone`; with one, any instant."""

    model_config = ConfigDict(extra="forbid")

    item_id: Id
    kind: SessionKind = SessionKind.classroom
    title: str = Field(default="", max_length=300)
    starts_at: WallClock
    ends_at: WallClock
    timezone: str = Field(default="UTC", max_length=64)
    location: str = Field(default="", max_length=300)
    meeting_url: str = Field(default="", max_length=1000)
    instructor_id: Id | None = None
    instructor_name: str = Field(default="", max_length=200)
    capacity: int = Field(ge=1, le=100_000)
    booking_deadline: WallClock | None = None
    approval_mode: ApprovalMode = ApprovalMode.none


class SessionPatch(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    kind: SessionKind | None = None
    title: str | None = Field(default=None, max_length=300)
    starts_at: WallClock | None = None
    ends_at: WallClock | None = None
    timezone: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=300)
    meeting_url: str | None = Field(default=None, max_length=1000)
    instructor_id: Id | None = None
    instructor_name: str | None = Field(default=None, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    booking_deadline: WallClock | None = None
    approval_mode: ApprovalMode | None = None


class CancelIn(BaseModel):
    reason: str = Field(max_length=2000)


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    origin: ChosenOrigin = Origin.self


class DecisionIn(BaseModel):
    note: str = Field(default="", max_length=2000)


class AttendanceIn(BaseModel):
    attended: list[Id] = Field(default_factory=list, max_length=10_000)
    no_show: list[Id] = Field(default_factory=list, max_length=10_000)


class SessionOut(BaseModel):
    id: int
    item: ItemRef
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    location: str
    meeting_url: str
    instructor_id: int | None
    instructor_name: str
    capacity: int
    seats_left: int
    booked_count: int
    waitlist_count: int
    approval_mode: str
    status: str
    cancel_reason: str
    booking_deadline: dt.datetime | None
    sequence: int


class SessionPage(Page[SessionOut]):
    """Sessions, a page at a time."""


class BookingOut(BaseModel):
    id: int
    session_id: int
    person_id: int
    status: str
    origin: str
    queue_position: int
    waitlist_position: int | None
    requested_at: dt.datetime
    booked_at: dt.datetime | None
    decision_note: str
    session: SessionOut | None = None


class AttendanceOut(BaseModel):
    attended: int
    no_show: int
    assignments_completed: int

"""The session form: local wall-clock times plus an IANA zone in, a SessionIn (UTC kept by the service);
the booking, approval and cancelling forms."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import FormData

from learnbridge.core.deps import form_of
from learnbridge.core.errors import invalid_from
from learnbridge.records.models import Origin
from learnbridge.records.schemas import ChosenOrigin
from learnbridge.sessions.models import LearningSession
from learnbridge.sessions.schemas import SessionIn

FORM_FIELDS = (
    "item_id",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "location",
    "meeting_url",
    "instructor_id",
    "instructor_name",
    "capacity",
    "booking_deadline",
    "approval_mode",
)
OPTIONAL = ("instructor_id", "booking_deadline")


def session_from_form(form: FormData) -> SessionIn:
    """`datetime-local` inputs carry no offset: they are read as wall-clock times in the chosen zone."""
    data: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in FORM_FIELDS}
    for name in OPTIONAL:
        data[name] = data[name] or None
    try:
        return SessionIn.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None


def form_values(form: FormData) -> dict[str, Any]:
    return {name: str(form.get(name, "")) for name in FORM_FIELDS}


def session_values(session: LearningSession | None) -> dict[str, Any]:
    """The form's starting values, times shown in the session's own zone."""
    if session is None:
        return {"kind": "classroom", "timezone": "UTC", "approval_mode": "none", "capacity": "12"}
    zone = ZoneInfo(session.timezone)
    values = {name: getattr(session, name) for name in FORM_FIELDS}
    for name in ("starts_at", "ends_at", "booking_deadline"):
        when = getattr(session, name)
        values[name] = when.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if when else ""
    values["instructor_id"] = session.instructor_id or ""
    return values


class BookForm(BaseModel):
    origin: ChosenOrigin = Origin.self


class CancelBookingForm(BaseModel):
    # Where to go back to: "bookings" is My bookings, anything else the session's page.
    next: Annotated[str, Field(max_length=20)] = ""


class DecisionForm(BaseModel):
    decision: Annotated[str, Field(pattern="^(approve|decline)$", max_length=7)]
    note: Annotated[str, Field(max_length=2000)] = ""


class CancelSessionForm(BaseModel):
    reason: Annotated[str, Field(max_length=2000)] = ""


Booking = Annotated[BookForm, Depends(form_of(BookForm))]
CancelBooking = Annotated[CancelBookingForm, Depends(form_of(CancelBookingForm))]
Decision = Annotated[DecisionForm, Depends(form_of(DecisionForm))]
CancelSession = Annotated[CancelSessionForm, Depends(form_of(CancelSessionForm))]

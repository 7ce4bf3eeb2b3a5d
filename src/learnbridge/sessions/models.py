"""Scheduled, human-led learning: sessions of a catalogue item, bookings with a FIFO waitlist,
attendance, and each person's private calendar feed."""

from __future__ import annotations

import datetime as dt
import enum
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnbridge.accounts.models import Account
from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import Base, UtcDateTime, utcnow
from learnbridge.people.models import Person


class SessionKind(enum.StrEnum):
    classroom = "classroom"
    virtual = "virtual"
    workshop = "workshop"
    focus_group = "focus_group"


KIND_LABELS = {
    SessionKind.classroom: "Classroom",
    SessionKind.virtual: "Virtual",
    SessionKind.workshop: "Workshop",
    SessionKind.focus_group: "Focus group",
}


class ApprovalMode(enum.StrEnum):
    none = "none"
    manager = "manager"


class SessionStatus(enum.StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class LearningSession(Base):
    """One scheduled run of a catalogue item. Cancelled with a reason, never deleted."""

    __tablename__ = "learning_sessions"
    __table_args__ = (Index("ix_learning_sessions_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("learning_items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=SessionKind.classroom.value)
    title: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # An IANA zone name: the session's wall-clock time, and the TZID of its calendar events.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    location: Mapped[str] = mapped_column(String(300), default="")
    meeting_url: Mapped[str] = mapped_column(String(1000), default="")
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    instructor_name: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    booking_deadline: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    approval_mode: Mapped[str] = mapped_column(String(20), default=ApprovalMode.none.value)
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.scheduled.value)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # iCalendar (RFC 5545 3.8.7.4): incremented whenever the event people hold in their calendars changes.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # iCalendar UID (RFC 5545 3.8.4.7), fixed when the session is created so that a later change of
    # the site's address never gives calendar clients a second copy. See sessions.calendar.uid_for.
    calendar_uid: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[LearningItem] = relationship()
    instructor: Mapped[Person | None] = relationship()

    def seats_left(self, booked_count: int) -> int:
        """Seats still free: never negative, even after the capacity was lowered below the bookings."""
        return max(self.capacity - booked_count, 0)

    def is_open_for_booking(self, now: dt.datetime) -> bool:
        """Bookable while scheduled, before it starts and not past its booking deadline."""
        return self.booking_refusal(now) is None

    def booking_refusal(self, now: dt.datetime) -> str | None:
        """Why nobody can book now, or None when they can."""
        if self.status == SessionStatus.cancelled:
            return "This session was cancelled."
        if now >= self.starts_at:
            return "This session has already started."
        if self.booking_deadline is not None and now > self.booking_deadline:
            return f"The booking deadline passed on {self.booking_deadline:%Y-%m-%d %H:%M} UTC."
        return None

    def local(self, when: dt.datetime) -> dt.datetime:
        """A stored UTC instant as wall-clock time in the session's zone."""
        return when.astimezone(ZoneInfo(self.timezone))

    @property
    def display_title(self) -> str:
        return self.title or self.item.title

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(SessionKind(self.kind), self.kind)


class BookingStatus(enum.StrEnum):
    booked = "booked"
    waitlisted = "waitlisted"
    pending_approval = "pending_approval"
    declined = "declined"
    cancelled = "cancelled"
    attended = "attended"
    no_show = "no_show"


class Booking(Base):
    """A person's place (or place in the queue) on a session: one row per person and session, reused
    when they book again after cancelling."""

    __tablename__ = "session_bookings"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id"),
        Index("ix_session_bookings_session_status_queue", "session_id", "status", "queue_position"),
        Index("ix_session_bookings_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_sessions.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(20), default="self")
    # Strictly increasing in the order requests were taken under the session's lock: the FIFO queue.
    queue_position: Mapped[int] = mapped_column(BigInteger)
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    booked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    attendance_marked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    # iCalendar SEQUENCE of this person's copy of the event (their booking's changes count too).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    promoted: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[LearningSession] = relationship()
    person: Mapped[Person] = relationship()
    decided_by: Mapped[Account | None] = relationship()

    @property
    def decider(self) -> str:
        """Who approved or declined the request, as the learner reads it."""
        account = self.decided_by
        if account is None:
            return "your approver"
        return account.person.name if account.person is not None else account.email

    @property
    def decision(self) -> str:
        """The approver's word on the request, for the learner: "Approved by Maria Jensen: note"."""
        if self.decided_at is None:
            return ""
        verb = "Declined" if self.status == BookingStatus.declined else "Approved"
        return f"{verb} by {self.decider}" + (f": {self.decision_note}" if self.decision_note else ".")

    @property
    def is_active(self) -> bool:
        """Holds a seat, a place in the queue or a request: what counts for overlaps and re-booking."""
        return self.status in ACTIVE_STATUSES


ACTIVE_STATUSES = (
    BookingStatus.booked.value,
    BookingStatus.waitlisted.value,
    BookingStatus.pending_approval.value,
)


class CalendarFeed(Base):
    """A person's private iCal feed of their bookings: a secret token (stored hashed), revocable."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class CalendarInstallation(Base):
    """This installation's random identifier, made once: part of every new session's calendar UID, so two
    Learnbridge installations never hand out the same UID. One row (id 1)."""

    __tablename__ = "calendar_installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

"""Scheduling sessions (L&D admins): create, change, cancel with a reason, and list them with their
seat counts. Booking rules are in `sessions.booking`, attendance in `sessions.attendance`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import ValidationError
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, FieldError, Invalid, NotFound, invalid_from
from learnbridge.core.paging import keyset_page
from learnbridge.people.models import Person
from learnbridge.sessions import calendar, notices
from learnbridge.sessions.booking import booked_count, lock_session, promote_waitlist
from learnbridge.sessions.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    LearningSession,
    SessionStatus,
)
from learnbridge.sessions.schemas import SessionIn, SessionPatch

# Fields whose change alters the event in people's calendars: SEQUENCE goes up and they get an update.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "timezone", "location", "meeting_url", "status")


@dataclass(frozen=True)
class SessionRow:
    session: LearningSession
    booked: int
    waitlisted: int
    pending: int
    attended: int = 0
    no_show: int = 0

    @property
    def seated(self) -> int:
        """Everyone who had a seat: still booked, or marked attended or no-show since."""
        return self.booked + self.attended + self.no_show

    @property
    def seats_left(self) -> int:
        return self.session.seats_left(self.seated)


@dataclass(frozen=True)
class SessionChange:
    """What changing a session did: the changes people saw (old -> new) and how many were told."""

    session: LearningSession
    changes: list[str]
    told: int


@dataclass(frozen=True)
class SessionList:
    rows: list[SessionRow]
    next: str | None


def zone_names() -> list[str]:
    return sorted(available_timezones())


def to_utc(when: dt.datetime, zone: str) -> dt.datetime:
    """A wall-clock time in `zone` (no offset) or any aware instant, as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(zone))
    return when.astimezone(dt.UTC)


def _duration(delta: dt.timedelta) -> str:
    minutes = round(abs(delta).total_seconds() / 60)
    if minutes == 60:
        return "an hour"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes // 60} h {minutes % 60} min" if minutes > 60 else f"{minutes} minutes"


def wall_clock_error(name: str, when: dt.datetime | None, zone: str) -> FieldError | None:
    """A wall-clock time (no offset) that the zone skips or shows twice on a clock-change day: which
    instant was meant cannot be known, so it is refused rather than guessed."""
    if when is None or when.tzinfo is not None:
        return None
    tz = ZoneInfo(zone)
    earlier, later = when.replace(tzinfo=tz, fold=0), when.replace(tzinfo=tz, fold=1)
    shift = (earlier.utcoffset() or dt.timedelta()) - (later.utcoffset() or dt.timedelta())
    if not shift:
        return None
    said = f"{when:%H:%M} on {when.day} {when:%B %Y}"
    if shift < dt.timedelta():  # fold=1 reads the later offset: the clock jumped over this time
        return FieldError(name, f"{said} does not exist in {zone} (clocks go forward {_duration(shift)})")
    return FieldError(
        name,
        f"{said} happens twice in {zone} (clocks go back {_duration(shift)}): choose another time"
        f" or give the offset, like {earlier.isoformat(timespec='minutes')}",
    )


def _zone_error(zone: str) -> FieldError | None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return FieldError("timezone", f"{zone!r} is not an IANA time zone, like Europe/Berlin")
    return None


def _check(db: Session, data: SessionIn) -> list[FieldError]:
    errors = [e for e in [_zone_error(data.timezone)] if e]
    if db.get(LearningItem, data.item_id) is None:
        errors.append(FieldError("item_id", f"no catalogue item has id {data.item_id}"))
    if data.instructor_id is not None and db.get(Person, data.instructor_id) is None:
        errors.append(FieldError("instructor_id", f"no person has id {data.instructor_id}"))
    if not data.location.strip() and not data.meeting_url.strip():
        errors.append(FieldError("location", "give a location or a meeting link"))
    if data.meeting_url and not data.meeting_url.startswith(("https://", "http://")):
        errors.append(FieldError("meeting_url", "must start with https:// or http://"))
    return errors or _time_errors(data)


def _time_errors(data: SessionIn) -> list[FieldError]:
    """Each time names one instant (no clock-change gap or overlap), then they come in order."""
    names = ("starts_at", "ends_at", "booking_deadline")
    errors = [e for name in names if (e := wall_clock_error(name, getattr(data, name), data.timezone))]
    if errors:
        return errors
    starts, ends = to_utc(data.starts_at, data.timezone), to_utc(data.ends_at, data.timezone)
    if ends <= starts:
        errors.append(FieldError("ends_at", "must be after the start"))
    if data.booking_deadline and to_utc(data.booking_deadline, data.timezone) > starts:
        errors.append(FieldError("booking_deadline", "must not be after the start"))
    return errors


def _values(data: SessionIn) -> dict[str, object]:
    values = data.model_dump()
    for key in ("starts_at", "ends_at", "booking_deadline"):
        if values[key] is not None:
            values[key] = to_utc(values[key], data.timezone)
    for key in ("kind", "approval_mode"):
        values[key] = str(values[key].value)
    for key in ("title", "location", "meeting_url", "instructor_name"):
        values[key] = values[key].strip()
    return values


def create_session(db: Session, *, data: SessionIn) -> LearningSession:
    """A session of a catalogue item: it ends after it starts, the deadline is not after the start,
    and it has a place or a link."""
    if errors := _check(db, data):
        raise Invalid(errors)
    session = LearningSession(**_values(data))
    db.add(session)
    db.flush()
    session.calendar_uid = calendar.new_uid(session.id, calendar.identity(db))
    db.flush()
    return session


def get_session(db: Session, session_id: int) -> LearningSession:
    session = db.get(LearningSession, session_id)
    if session is None:
        raise NotFound(f"No session {session_id}.")
    return session


def merged(session: LearningSession, patch: SessionPatch) -> SessionIn:
    """The session as input with the patch applied. Times already stored are UTC instants."""
    current = SessionIn(
        item_id=session.item_id,
        kind=session.kind,
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        timezone=session.timezone,
        location=session.location,
        meeting_url=session.meeting_url,
        instructor_id=session.instructor_id,
        instructor_name=session.instructor_name,
        capacity=session.capacity,
        booking_deadline=session.booking_deadline,
        approval_mode=session.approval_mode,
    )
    # Validated again as a whole: a field sent as null must be refused by name, not crash later.
    try:
        return SessionIn.model_validate(current.model_dump() | patch.model_dump(exclude_unset=True))
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None


def update_session(
    db: Session, *, session_id: int, patch: SessionPatch, now: dt.datetime | None = None
) -> LearningSession:
    """Change a scheduled session (see `change_session`)."""
    return change_session(db, session_id=session_id, patch=patch, now=now).session


def change_session(
    db: Session, *, session_id: int, patch: SessionPatch, now: dt.datetime | None = None
) -> SessionChange:
    """Change a scheduled session. A change people's calendars show raises SEQUENCE; everyone booked,
    waitlisted or waiting for approval is told what changed (old → new), the booked with an updated
    invite; more seats go to the waitlist in queue order."""
    now = now or utcnow()
    session = lock_session(db, session_id)
    if session.status == SessionStatus.cancelled:
        raise Conflict("This session was cancelled; it can no longer be changed.")
    data = merged(session, patch)
    if errors := _check(db, data):
        raise Invalid(errors)
    values = _values(data)
    if data.capacity < (taken := booked_count(db, session.id)):
        raise Invalid(field="capacity", message=f"{taken} people are booked: the capacity cannot be lower")
    changed = [key for key, value in values.items() if getattr(session, key) != value]
    before = notices.describe(session)
    for key in changed:
        setattr(session, key, values[key])
    told: list[Booking] = []
    after = notices.describe(session)
    changes = [f"{name}: {before[name]} → {after[name]}" for name in before if before[name] != after[name]]
    if set(changed) & set(CALENDAR_FIELDS):
        session.sequence += 1
        db.flush()
        told = _bookings(db, session.id, list(ACTIVE_STATUSES))
        for booking in told:
            notices.updated(db, booking, changes=changes)
    db.flush()
    promote_waitlist(db, session, now=now)
    return SessionChange(session=session, changes=changes, told=len(told))


def cancel_session(
    db: Session, *, session_id: int, reason: str, now: dt.datetime | None = None
) -> LearningSession:
    """Cancel (never delete) with a reason everyone booked, waitlisted or pending is told; those who
    were booked get a METHOD:CANCEL invite with a higher SEQUENCE."""
    reason = reason.strip()
    if not reason:
        raise Invalid(field="reason", message="say why the session is cancelled")
    now = now or utcnow()
    session = lock_session(db, session_id)
    if session.status == SessionStatus.cancelled:
        raise Conflict("This session is already cancelled.")
    session.status, session.cancel_reason, session.cancelled_at = SessionStatus.cancelled.value, reason, now
    session.sequence += 1
    affected = _bookings(db, session.id, list(ACTIVE_STATUSES))
    seated = {b.id for b in affected if b.status == BookingStatus.booked}
    db.execute(
        update(Booking)
        .where(Booking.id.in_([b.id for b in affected]))
        .values(status=BookingStatus.cancelled.value, cancelled_at=now, cancel_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    db.flush()
    for booking in affected:
        notices.cancelled(db, booking, reason=reason, by_session=True, had_seat=booking.id in seated)
    return session


def _bookings(db: Session, session_id: int, statuses: list[str]) -> list[Booking]:
    stmt = (
        select(Booking)
        .where(Booking.session_id == session_id, Booking.status.in_(statuses))
        .options(joinedload(Booking.person))
        .order_by(Booking.queue_position)
    )
    return list(db.scalars(stmt))


def counts(db: Session, session_ids: list[int]) -> dict[int, dict[str, int]]:
    """Bookings per session and status, one grouped query."""
    found: dict[int, dict[str, int]] = {sid: {} for sid in session_ids}
    if not session_ids:
        return found
    stmt = (
        select(Booking.session_id, Booking.status, func.count())
        .where(Booking.session_id.in_(session_ids))
        .group_by(Booking.session_id, Booking.status)
    )
    for session_id, status, n in db.execute(stmt):
        found[session_id][status] = n
    return found


def rows_for(db: Session, sessions: list[LearningSession]) -> list[SessionRow]:
    by_id = counts(db, [s.id for s in sessions])
    return [
        SessionRow(
            session=s,
            booked=by_id[s.id].get(BookingStatus.booked.value, 0),
            waitlisted=by_id[s.id].get(BookingStatus.waitlisted.value, 0),
            pending=by_id[s.id].get(BookingStatus.pending_approval.value, 0),
            attended=by_id[s.id].get(BookingStatus.attended.value, 0),
            no_show=by_id[s.id].get(BookingStatus.no_show.value, 0),
        )
        for s in sessions
    ]


def list_sessions(
    db: Session,
    *,
    when: str = "upcoming",
    text: str = "",
    kind: str = "",
    on_or_after: dt.date | None = None,
    item_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
    now: dt.datetime | None = None,
) -> SessionList:
    """Sessions by start time: `upcoming` (scheduled, not yet ended), `past` or `cancelled`, or `all`;
    keyset-paged on (starts_at, id), newest first for past ones."""
    now = now or utcnow()
    stmt = _filtered(select(LearningSession).join(LearningSession.item), when, text, kind, on_or_after, now)
    if item_id is not None:
        stmt = stmt.where(LearningSession.item_id == item_id)
    page = keyset_page(
        db,
        stmt.options(joinedload(LearningSession.item)),
        order=[LearningSession.starts_at, LearningSession.id],
        descending=when in ("past", "cancelled"),
        cursor=cursor,
        limit=limit,
    )
    return SessionList(rows=rows_for(db, page.items), next=page.next)


def _filtered(
    stmt: Select[LearningSession],
    when: str,
    text: str,
    kind: str,
    on_or_after: dt.date | None,
    now: dt.datetime,
) -> Select[LearningSession]:
    s = LearningSession
    if when == "upcoming":
        stmt = stmt.where(s.status == SessionStatus.scheduled.value, s.ends_at > now)
    elif when == "past":
        stmt = stmt.where(s.status == SessionStatus.scheduled.value, s.ends_at <= now)
    elif when == "cancelled":
        stmt = stmt.where(s.status == SessionStatus.cancelled.value)
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        stmt = stmt.where(
            or_(func.lower(s.title).like(pattern), func.lower(LearningItem.title).like(pattern))
        )
    if kind:
        stmt = stmt.where(s.kind == kind)
    if on_or_after:
        stmt = stmt.where(s.starts_at >= dt.datetime.combine(on_or_after, dt.time(), tzinfo=dt.UTC))
    return stmt

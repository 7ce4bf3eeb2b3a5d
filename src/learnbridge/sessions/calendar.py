"""iCalendar for sessions (RFC 5545 objects, RFC 5546 methods): the .ics mailed with every booking
change, the one a person downloads, and each person's private feed of their bookings."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from learnbridge.core.db import settings_of, utcnow
from learnbridge.core.errors import NotFound
from learnbridge.sessions.models import (
    Booking,
    BookingStatus,
    CalendarFeed,
    CalendarInstallation,
    LearningSession,
    SessionStatus,
)
from learnbridge.sessions.vtimezone import vtimezone

PRODID = "-//Learnbridge//Sessions//EN"
FEED_STATUSES = (BookingStatus.booked.value, BookingStatus.attended.value, BookingStatus.no_show.value)


@dataclass(frozen=True)
class Identity:
    """What this installation signs its calendar events with."""

    installation_id: str
    # The right-hand side of new UIDs: the host people reach the site at (RFC 5545 3.8.4.7).
    domain: str
    # ORGANIZER when the session has no instructor with an address (RFC 5546 3.2.2 needs one).
    organizer: str


def installation_id(db: Session) -> str:
    """This installation's random identifier; made on first use when the migration did not make it."""
    found = db.scalar(select(CalendarInstallation.installation_id).where(CalendarInstallation.id == 1))
    if found:
        return found
    try:
        with db.begin_nested():
            db.add(CalendarInstallation(id=1, installation_id=secrets.token_hex(8)))
    except IntegrityError:
        pass  # another process made it first: theirs is the one
    return db.scalars(select(CalendarInstallation.installation_id).where(CalendarInstallation.id == 1)).one()


def identity(db: Session) -> Identity:
    settings = settings_of(db)
    domain = urlsplit(settings.base_url).hostname or "localhost"
    return Identity(installation_id(db), domain, settings.organizer_address())


def new_uid(session_id: int, ident: Identity) -> str:
    """The session id (unique here), this installation's random id (unique among installations) and
    our host: no two installations ever give two sessions one UID."""
    return f"session-{session_id}-{ident.installation_id}@{ident.domain}"


def uid_for(session: LearningSession, ident: Identity) -> str:
    """Stable for the life of the session, so every update and cancel replaces the same event. Fixed at
    creation; sessions made before UIDs carried the installation keep the one clients already hold."""
    return session.calendar_uid or new_uid(session.id, ident)


def sequence_for(session: LearningSession, booking: Booking | None) -> int:
    """The session's changes plus this person's own (booked, cancelled, booked again): both only grow,
    so each copy a person receives has a higher SEQUENCE than the last (RFC 5545 3.8.7.4)."""
    return session.sequence + (booking.sequence if booking else 0)


def build_event(
    session: LearningSession, booking: Booking | None, ident: Identity, *, cancelled: bool = False
) -> Event:
    zone = ZoneInfo(session.timezone)
    event = Event()
    event.add("uid", uid_for(session, ident))
    event.add("sequence", sequence_for(session, booking))
    event.add("dtstamp", utcnow())
    # Local wall-clock time with TZID (RFC 5545 3.3.5 form 3); the VTIMEZONE is added to the calendar.
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.display_title)
    if session.location:
        event.add("location", session.location)
    if session.meeting_url:
        event.add("url", session.meeting_url)
    description = session.item.summary
    if session.meeting_url:
        description = f"{description}\n\nJoin: {session.meeting_url}".strip()
    if description:
        event.add("description", description)
    # RFC 5546 3.2.5: STATUS:CANCELLED cancels the whole event; uninviting one attendee (their own
    # cancellation) MUST NOT carry STATUS, only their ATTENDEE line.
    if session.status == SessionStatus.cancelled:
        event.add("status", "CANCELLED")
    elif not cancelled:
        event.add("status", "CONFIRMED")
    event["organizer"] = _organizer(session, ident)
    if booking is not None and booking.person.email:
        event.add("attendee", _attendee(booking, cancelled=cancelled))
    return event


def _organizer(session: LearningSession, ident: Identity) -> vCalAddress:
    instructor = session.instructor
    email = instructor.email if instructor is not None and instructor.email else ident.organizer
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(instructor.name if instructor else session.instructor_name or "Learnbridge")
    return address


def _attendee(booking: Booking, *, cancelled: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{booking.person.email}")
    address.params["cn"] = vText(booking.person.name)
    address.params["role"] = vText("REQ-PARTICIPANT")
    address.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
    return address


def _calendar(method: str | None, sessions: list[LearningSession], events: list[Event]) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    # One VTIMEZONE per TZID the events use (UTC times need none), covering their years, placed before
    # the events: some parsers need a zone defined before it is used.
    for index, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        instants = [when for s in sessions if s.timezone == tzid for when in (s.starts_at, s.ends_at)]
        calendar.subcomponents.insert(index, vtimezone(tzid, instants or [utcnow()]))
    return str(calendar.to_ical().decode())


def request_ics(db: Session, session: LearningSession, booking: Booking) -> str:
    """METHOD:REQUEST: put (or update) the session in the person's calendar (RFC 5546 3.2.2)."""
    return _calendar("REQUEST", [session], [build_event(session, booking, identity(db))])


def cancel_ics(db: Session, session: LearningSession, booking: Booking) -> str:
    """METHOD:CANCEL: take the session out of the person's calendar (RFC 5546 3.2.5)."""
    return _calendar("CANCEL", [session], [build_event(session, booking, identity(db), cancelled=True)])


def download_ics(db: Session, session: LearningSession, booking: Booking | None) -> str:
    """The file a signed-in person downloads: when booked, the same METHOD:REQUEST invite their booking
    mail carried (so importing either updates one event); else the bare event (PUBLISH: REQUEST needs
    an attendee)."""
    if booking is not None and booking.status in FEED_STATUSES and booking.person.email:
        return request_ics(db, session, booking)
    return _calendar("PUBLISH", [session], [build_event(session, None, identity(db))])


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(db: Session, *, person_id: int) -> CalendarFeed | None:
    stmt = select(CalendarFeed).where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
    return db.scalars(stmt.order_by(CalendarFeed.id.desc())).first()


def create_feed(db: Session, *, person_id: int) -> str:
    """A new secret feed token for the person (shown once, stored hashed); any older feed stops working."""
    revoke_feed(db, person_id=person_id)
    token = secrets.token_urlsafe(32)
    db.add(CalendarFeed(person_id=person_id, token_hash=_hash(token)))
    db.flush()
    return token


def revoke_feed(db: Session, *, person_id: int) -> None:
    """The person's feed URL stops working at once."""
    db.execute(
        update(CalendarFeed)
        .where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.flush()


def feed_ics(db: Session, *, token: str) -> str:
    """Every session the token's owner is (or was) booked on, as a subscribable calendar; an unknown
    or revoked token is NotFound, the same answer either way."""
    feed = db.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None))
    )
    if feed is None:
        raise NotFound("No such calendar.")
    since = utcnow() - dt.timedelta(days=365)
    bookings = db.scalars(
        select(Booking)
        .join(Booking.session)
        .where(
            Booking.person_id == feed.person_id,
            Booking.status.in_(FEED_STATUSES),
            LearningSession.starts_at >= since,
        )
        .options(joinedload(Booking.session), joinedload(Booking.person))
        .order_by(LearningSession.starts_at)
    )
    # A feed is a published calendar, not a scheduling message: no METHOD (RFC 5545 3.7.2).
    ident, found = identity(db), list(bookings)
    return _calendar(None, [b.session for b in found], [build_event(b.session, b, ident) for b in found])

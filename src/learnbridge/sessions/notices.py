"""Telling people about their bookings: an inbox message, and a mail carrying the .ics when the
calendar entry changes. Everything is written in the caller's transaction and sent after its commit."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.models import Account
from learnbridge.notify.service import Attachment, notify_person, queue_mail
from learnbridge.people.models import Person
from learnbridge.sessions import calendar
from learnbridge.sessions.models import Booking, BookingStatus, LearningSession


def _when(session: LearningSession) -> str:
    local = session.starts_at.astimezone(ZoneInfo(session.timezone))
    return f"{local:%a %d %b %Y %H:%M} ({session.timezone})"


def tell(
    db: Session, *, person: Person, subject: str, body: str, link: str, ics: Attachment | None = None
) -> None:
    """Inbox always; mail when the person has an address (with the calendar file if there is one)."""
    notify_person(db, person_id=person.id, subject=subject, body=body, link=link)
    if person.email:
        queue_mail(
            db, to_address=person.email, subject=subject, body=body, to_person_id=person.id, attachment=ics
        )


def _ics(method: str, text: str) -> Attachment:
    # RFC 6047 2.4: the method parameter must match the METHOD inside the file.
    return Attachment("invite.ics", f"text/calendar; method={method}; charset=UTF-8", text)


def _approval(booking: Booking) -> str:
    """The approver's decision and note, as the first words of the message ("" when none was needed)."""
    return f"{booking.decision}\n\n" if booking.decided_at is not None else ""


def booked(db: Session, booking: Booking, *, promoted: bool = False, approved: bool = False) -> None:
    session = booking.session
    head = "You moved up from the waitlist: you are booked on" if promoted else "You are booked on"
    tell(
        db,
        person=booking.person,
        subject=f"{'Approved and booked' if approved else 'Booked'}: {session.display_title}"[:300],
        body=(
            f"{_approval(booking) if approved else ''}{head} {session.display_title}, {_when(session)}. "
            "The invite adds it to your calendar."
        ),
        link=f"/sessions/{session.id}",
        ics=_ics("REQUEST", calendar.request_ics(db, session, booking)),
    )


def describe(session: LearningSession) -> dict[str, str]:
    """What people were told about a session, by name: compared before and after a change."""
    starts, ends = (
        when.astimezone(ZoneInfo(session.timezone)) for when in (session.starts_at, session.ends_at)
    )
    until = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends:%a %d %b %Y %H:%M}"
    return {
        "Title": session.display_title,
        "When": f"{_when(session)} to {until}",
        "Where": session.location or "(no place)",
        "Meeting link": session.meeting_url or "(none)",
    }


def updated(db: Session, booking: Booking, *, changes: list[str]) -> None:
    """Everyone holding a seat, a place in the queue or a request hears what changed, old → new; the
    booked get the updated invite for their calendar."""
    session = booking.session
    lines = "\n".join(f"- {change}" for change in changes)
    had_seat = booking.status == BookingStatus.booked
    your = "booking" if had_seat else "place on the waitlist" if booking.status == "waitlisted" else "request"
    tell(
        db,
        person=booking.person,
        subject=f"Changed: {session.display_title}"[:300],
        body=f"{session.display_title}, which you have a {your} for, has changed:\n{lines}",
        link=f"/sessions/{session.id}",
        ics=_ics("REQUEST", calendar.request_ics(db, session, booking)) if had_seat else None,
    )


def cancelled(db: Session, booking: Booking, *, reason: str, by_session: bool, had_seat: bool) -> None:
    """A CANCEL goes only to people whose calendar holds the event (they were booked)."""
    session = booking.session
    what = f"{session.display_title} on {_when(session)}"
    body = (
        f"{what} was cancelled. Reason: {reason}" if by_session else f"Your booking for {what} is cancelled."
    )
    tell(
        db,
        person=booking.person,
        subject=f"Cancelled: {session.display_title}"[:300],
        body=body,
        link=f"/sessions/{session.id}",
        ics=_ics("CANCEL", calendar.cancel_ics(db, session, booking)) if had_seat else None,
    )


def waitlisted(db: Session, booking: Booking, position: int, *, approved: bool = False) -> None:
    """On the waitlist; after an approval the learner also gets a mail, with the approver's note."""
    session = booking.session
    subject = f"{'Approved, on the waitlist' if approved else 'On the waitlist'}: {session.display_title}"
    body = f"The session is full; you are number {position} on the waitlist and move up automatically."
    link = f"/sessions/{session.id}"
    if approved:
        tell(db, person=booking.person, subject=subject[:300], body=_approval(booking) + body, link=link)
    else:
        notify_person(db, person_id=booking.person_id, subject=subject[:300], body=body, link=link)


def pending(db: Session, booking: Booking) -> None:
    """The learner hears the request waits; their manager (or, without one, every L&D admin) is asked."""
    session = booking.session
    notify_person(
        db,
        person_id=booking.person_id,
        subject=f"Waiting for approval: {session.display_title}"[:300],
        body="This session needs approval. It holds no seat until it is approved.",
        link=f"/sessions/{session.id}",
    )
    for approver_id in approver_ids(db, booking.person):
        notify_person(
            db,
            person_id=approver_id,
            subject=f"Approve a booking: {booking.person.name}"[:300],
            body=f"{booking.person.name} asks to attend {session.display_title}, {_when(session)}.",
            link="/team/approvals",
        )


def approver_ids(db: Session, person: Person) -> list[int]:
    if person.manager_id is not None:
        return [person.manager_id]
    stmt = select(Account.person_id).where(Account.is_ld_admin.is_(True), Account.person_id.is_not(None))
    return [pid for pid in db.scalars(stmt) if pid is not None]


def declined(db: Session, booking: Booking) -> None:
    """The learner hears it in the inbox and by mail, with the approver's note."""
    session = booking.session
    tell(
        db,
        person=booking.person,
        subject=f"Not approved: {session.display_title}"[:300],
        body=f"Your request to attend {session.display_title}, {_when(session)}, was declined.\n\n"
        f"{booking.decision}",
        link=f"/sessions/{session.id}",
    )

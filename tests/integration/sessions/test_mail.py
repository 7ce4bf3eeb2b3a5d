"""A booking's mail reaches a real SMTP server with the invite attached as text/calendar; method=REQUEST,
the same METHOD as inside the file (RFC 6047 2.4)."""

from __future__ import annotations

from email import message_from_bytes

from icalendar import Calendar
from sqlalchemy.orm import Session

from learnbridge.core.jobs import JobOutcome, JobStatus
from learnbridge.core.settings import Settings
from learnbridge.notify.service import SEND_MAIL
from learnbridge.sessions.booking import book_seat
from tests.factories import make_person, make_session
from tests.helpers.jobs import job_sessions
from tests.helpers.mail import Inbox, run_mail_jobs


def test_the_invite_is_attached_as_text_calendar(db: Session, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    session = make_session(db, timezone="Europe/London")
    person = make_person(db)
    book_seat(db, session_id=session.id, person_id=person.id)
    sessions = job_sessions(db)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, mail_from="lb@example.com")
    outcomes: list[JobOutcome] = []
    run_mail_jobs(sessions, settings, on_outcome=outcomes.append)
    # Booking also queues the platform's xAPI statement, which the mail handlers leave alone.
    assert [(o.kind, o.status) for o in outcomes if o.kind == SEND_MAIL] == [(SEND_MAIL, JobStatus.done)]
    [envelope] = inbox.envelopes
    message = message_from_bytes(envelope.content)
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST" and part.get_filename() == "invite.ics"
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    calendar = Calendar.from_ical(payload)
    assert calendar["method"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["uid"]) == session.calendar_uid

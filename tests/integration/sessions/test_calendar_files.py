"""Calendar files that independent parsers read alike: sessions in and out of summer time and in another
zone come out at the same UTC instants in icalendar and in vobject (which reads the file's VTIMEZONE, not
its own zone database); UIDs unique across installations; a configured organizer."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import vobject
import vobject.icalendar
from alembic import command
from icalendar import Calendar
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine
from learnbridge.core.migrate import alembic_config, upgrade
from learnbridge.core.settings import Settings
from learnbridge.sessions import calendar
from learnbridge.sessions.booking import book_seat
from learnbridge.sessions.models import Booking, CalendarInstallation, LearningSession
from learnbridge.sessions.schemas import SessionPatch
from learnbridge.sessions.service import update_session
from tests.factories import make_item, make_person, make_session

UTC = dt.UTC
# (zone, local wall-clock start, the UTC instant it is)
CASES = {
    "berlin-summer": ("Europe/Berlin", dt.datetime(2027, 7, 14, 10, 0), dt.datetime(2027, 7, 14, 8, 0)),
    "berlin-winter": ("Europe/Berlin", dt.datetime(2027, 1, 20, 10, 0), dt.datetime(2027, 1, 20, 9, 0)),
    # A second summer, a year on: one RDATE list for all summers was read as "only the first".
    "berlin-next-summer": (
        "Europe/Berlin",
        dt.datetime(2028, 8, 2, 10, 0),
        dt.datetime(2028, 8, 2, 8, 0),
    ),
    "new-york-summer": ("America/New_York", dt.datetime(2027, 7, 14, 10, 0), dt.datetime(2027, 7, 14, 14, 0)),
    "new-york-winter": ("America/New_York", dt.datetime(2027, 12, 1, 10, 0), dt.datetime(2027, 12, 1, 15, 0)),
}


def _booked_sessions(db: Session) -> tuple[int, dict[str, LearningSession]]:
    person = make_person(db)
    made = {}
    for name, (zone, local, _) in CASES.items():
        session = make_session(
            db, starts_at=local, ends_at=local + dt.timedelta(hours=2), timezone=zone, title=name
        )
        book_seat(db, session_id=session.id, person_id=person.id)
        made[name] = session
    return person.id, made


def _icalendar_instants(ics: str) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """icalendar, twice over: by the TZID's name (its own zone database), and through the file's own
    VTIMEZONE turned into a tzinfo; both must agree."""
    parsed = Calendar.from_ical(ics)
    zones = {str(tz["tzid"]): tz.to_tz() for tz in parsed.timezones}
    found = {}
    for event in parsed.walk("VEVENT"):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        if tzid := event["dtstart"].params.get("TZID"):
            by_vtimezone = start.replace(tzinfo=zones[tzid]).astimezone(UTC)
            assert by_vtimezone == start.astimezone(UTC), (tzid, start)
        found[str(event["summary"])] = (start.astimezone(UTC), end.astimezone(UTC))
    return found


def _vobject_instants(ics: str) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """vobject keeps the zones it has read in a process-wide map, first one wins: start empty, so the
    zones are this file's VTIMEZONEs (dateutil's tzical), never pytz's by name."""
    zones = vobject.icalendar.__dict__["__tzidMap"]
    kept = dict(zones)
    zones.clear()
    try:
        parsed = vobject.readOne(ics)
        found = {}
        for event in parsed.vevent_list:
            start, end = event.dtstart.value, event.dtend.value
            # A zoned time is read through the file's VTIMEZONE (UTC ones, written with Z, need none).
            from_pytz = type(start.tzinfo).__module__.startswith("pytz")
            assert not from_pytz or start.utcoffset() == dt.timedelta(), start.tzinfo
            found[event.summary.value] = (start.astimezone(UTC), end.astimezone(UTC))
        return found
    finally:
        zones.clear()
        zones.update(kept)


def _expected() -> dict[str, tuple[dt.datetime, dt.datetime]]:
    return {
        name: (utc.replace(tzinfo=UTC), utc.replace(tzinfo=UTC) + dt.timedelta(hours=2))
        for name, (_, _, utc) in CASES.items()
    }


def test_the_feed_reads_the_same_in_two_parsers(db: Session) -> None:
    person_id, _ = _booked_sessions(db)
    ics = calendar.feed_ics(db, token=calendar.create_feed(db, person_id=person_id))
    assert _icalendar_instants(ics) == _expected()
    assert _vobject_instants(ics) == _expected()
    parsed = Calendar.from_ical(ics)
    # One VTIMEZONE per zone, before the events, with real summer and winter observances.
    assert [c.name for c in parsed.subcomponents[:2]] == ["VTIMEZONE", "VTIMEZONE"]
    assert sorted(str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")) == ["America/New_York", "Europe/Berlin"]
    (berlin,) = [tz for tz in parsed.walk("VTIMEZONE") if str(tz["tzid"]) == "Europe/Berlin"]
    onsets = {(c.name, c.decoded("dtstart")) for c in berlin.subcomponents}
    # RFC 5545 3.6.5: the onset in the local time changed from (02:00 CET, 03:00 CEST).
    assert ("DAYLIGHT", dt.datetime(2027, 3, 28, 2, 0)) in onsets
    assert ("STANDARD", dt.datetime(2027, 10, 31, 3, 0)) in onsets
    assert ("DAYLIGHT", dt.datetime(2028, 3, 26, 2, 0)) in onsets


@pytest.mark.parametrize("name", list(CASES))
def test_each_invite_and_download_reads_the_same_in_two_parsers(db: Session, name: str) -> None:
    person_id, made = _booked_sessions(db)
    session = made[name]
    booking = db.scalars(
        select(Booking).where(Booking.person_id == person_id, Booking.session_id == session.id)
    ).one()
    want = {name: _expected()[name]}
    for ics in (
        calendar.request_ics(db, session, booking),
        calendar.cancel_ics(db, session, booking),
        calendar.download_ics(db, session, None),
    ):
        assert _icalendar_instants(ics) == want
        assert _vobject_instants(ics) == want


def test_a_utc_session_needs_no_vtimezone(db: Session) -> None:
    session = make_session(db)
    ics = calendar.download_ics(db, session, None)
    assert "BEGIN:VTIMEZONE" not in ics
    assert _vobject_instants(ics) == _icalendar_instants(ics)


def test_uids_carry_the_session_this_installation_and_the_host(db: Session) -> None:
    installation = calendar.installation_id(db)
    assert re.fullmatch(r"[0-9a-f]{16}", installation)
    assert calendar.installation_id(db) == installation  # kept, not made again
    db.info["settings"] = Settings(base_url="https://learn.example.com/")
    session = make_session(db)
    assert session.calendar_uid == f"session-{session.id}-{installation}@learn.example.com"
    # Another installation (another random id) never gives the same session id the same UID.
    other = calendar.Identity("0123456789abcdef", "learn.example.com", "x@example.com")
    assert calendar.new_uid(session.id, other) != session.calendar_uid
    # The site moving to another address does not change UIDs clients already hold.
    db.info["settings"] = Settings(base_url="https://training.example.org")
    update_session(db, session_id=session.id, patch=SessionPatch(location="Room 9"))
    (event,) = Calendar.from_ical(calendar.download_ics(db, session, None)).walk("VEVENT")
    assert str(event["uid"]) == f"session-{session.id}-{installation}@learn.example.com"
    assert make_session(db).calendar_uid.endswith(f"-{installation}@training.example.org")  # type: ignore[union-attr]


def test_the_installation_id_is_made_when_missing(db: Session) -> None:
    db.execute(delete(CalendarInstallation))
    made = calendar.installation_id(db)
    assert re.fullmatch(r"[0-9a-f]{16}", made)
    assert db.scalars(select(CalendarInstallation.installation_id)).all() == [made]


def test_a_session_from_before_keeps_the_uid_clients_hold(db: Session) -> None:
    session = make_session(db)
    db.execute(update(LearningSession).where(LearningSession.id == session.id).values(calendar_uid=None))
    db.refresh(session)
    ident = calendar.identity(db)
    assert calendar.uid_for(session, ident) == f"session-{session.id}-{ident.installation_id}@{ident.domain}"
    session.calendar_uid = f"session-{session.id}@learnbridge"
    (event,) = Calendar.from_ical(calendar.download_ics(db, session, None)).walk("VEVENT")
    assert str(event["uid"]) == f"session-{session.id}@learnbridge"


def test_the_migration_keeps_old_uids_and_makes_an_installation_id(committed_url: str) -> None:
    command.downgrade(alembic_config(committed_url), "0014")
    engine = make_engine(committed_url)
    try:
        with Session(engine) as db:
            item_id = make_item(db).id
            db.commit()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO learning_sessions (id, item_id, kind, title, starts_at, ends_at, timezone,"
                    " location, meeting_url, instructor_name, capacity, approval_mode, status,"
                    " cancel_reason, sequence, created_at, updated_at) VALUES (77, :item, 'classroom', '',"
                    " :at, :at, 'UTC', 'Room', '', '', 5, 'none', 'scheduled', '', 0, :at, :at)"
                ),
                {"item": item_id, "at": dt.datetime(2030, 1, 1, tzinfo=UTC)},
            )
        upgrade(committed_url)
        with Session(engine) as db:
            assert db.get_one(LearningSession, 77).calendar_uid == "session-77@learnbridge"
            (installation,) = db.scalars(select(CalendarInstallation.installation_id)).all()
            assert re.fullmatch(r"[0-9a-f]{16}", installation)
    finally:
        engine.dispose()


def test_the_organizer_is_the_instructor_else_the_setting_else_mail_from(db: Session) -> None:
    instructor = make_person(db)
    taught = make_session(db, instructor_id=instructor.id)
    untaught = make_session(db, instructor_name="A visiting trainer")

    def organizer(session: LearningSession) -> str:
        (event,) = Calendar.from_ical(calendar.download_ics(db, session, None)).walk("VEVENT")
        return str(event["organizer"])

    db.info["settings"] = Settings(calendar_organizer="training@example.com", mail_from="lb@example.com")
    assert organizer(taught) == f"mailto:{instructor.email}"
    assert organizer(untaught) == "mailto:training@example.com"
    db.info["settings"] = Settings(mail_from="lb@example.com")
    assert organizer(untaught) == "mailto:lb@example.com"
    assert "learnbridge.invalid" not in calendar.download_ics(db, untaught, None)

"""Rules on one session, no database: seats left and when booking is open."""

from __future__ import annotations

import datetime as dt

from learnbridge.sessions.models import LearningSession

STARTS = dt.datetime(2030, 5, 1, 9, tzinfo=dt.UTC)


def _session(**overrides: object) -> LearningSession:
    values: dict[str, object] = {
        "starts_at": STARTS,
        "ends_at": STARTS + dt.timedelta(hours=1),
        "capacity": 3,
    }
    values.update(overrides)
    values.setdefault("status", "scheduled")
    values.setdefault("timezone", "UTC")
    return LearningSession(**values)


def test_seats_left_never_negative() -> None:
    session = _session()
    assert [session.seats_left(n) for n in (0, 2, 3, 5)] == [3, 1, 0, 0]


def test_open_until_start_or_deadline_and_never_when_cancelled() -> None:
    before = STARTS - dt.timedelta(hours=1)
    assert _session().is_open_for_booking(before)
    assert not _session().is_open_for_booking(STARTS)
    deadline = STARTS - dt.timedelta(days=1)
    assert not _session(booking_deadline=deadline).is_open_for_booking(before)
    assert _session(booking_deadline=deadline).is_open_for_booking(deadline)
    assert not _session(status="cancelled").is_open_for_booking(before)


def test_local_time_is_the_sessions_zone() -> None:
    session = _session(timezone="Asia/Kolkata")
    assert session.local(STARTS).strftime("%H:%M") == "14:30"

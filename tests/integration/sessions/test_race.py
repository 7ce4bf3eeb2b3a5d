"""200 people book a 20-seat session at the same moment, each in a thread with its own connection, on a
fresh committed database per backend: exactly 20 are booked, 180 waitlisted, queue positions 1..200
handed out in the order the session's lock was granted (SQLite: the write lock taken by the first
statement; PostgreSQL: SELECT ... FOR UPDATE on the session row)."""

from __future__ import annotations

from bench.booking_storm import prepare, storm


def test_200_simultaneous_bookings_for_20_seats(committed_url: str) -> None:
    session_id, people = prepare(committed_url, seats=20, people=200)
    result = storm(committed_url, session_id, people)
    assert result.errors == []
    assert (result.booked, result.waitlisted) == (20, 180)
    assert result.fifo

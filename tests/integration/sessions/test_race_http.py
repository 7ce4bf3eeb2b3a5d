"""Booking storms through HTTP: a real uvicorn server on a fresh committed database per backend, and many
people booking the same session at once, each from its own thread and connection. Unlike test_race,
every request first authenticates (reading accounts and tokens in the request's transaction) before it
books, which on SQLite used to leave a read snapshot the booking could not upgrade to a write
("database is locked" at once, whatever busy_timeout says, as soon as another booking had committed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.service import create_account
from learnbridge.core.db import make_engine
from learnbridge.sessions.models import Booking
from tests.factories import PASSWORD, bearer, csrf_from, make_account, make_person, make_session
from tests.helpers.servers import all_at_once, app_for, serve


@dataclass
class Live:
    database_url: str
    base_url: str


@pytest.fixture
def live(committed_url: str, tmp_path: Path) -> Iterator[Live]:
    with serve(app_for(committed_url, tmp_path), timeout_keep_alive=300) as base_url:
        yield Live(committed_url, base_url)


def _seed(
    url: str, *, seats: int, people: int, make: Callable[[Session], dict[str, str]]
) -> tuple[int, list[dict[str, str]]]:
    """A committed session with `seats` seats and `people` people, each described by `make`."""
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            session = make_session(db, capacity=seats)
            described = [make(db) for _ in range(people)]
            db.commit()
            return session.id, described
    finally:
        engine.dispose()


def _queue(url: str, session_id: int) -> list[tuple[int, str]]:
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            stmt = select(Booking.queue_position, Booking.status).where(Booking.session_id == session_id)
            return [(p, s) for p, s in db.execute(stmt.order_by(Booking.queue_position))]
    finally:
        engine.dispose()


def _assert_fifo(queue: list[tuple[int, str]], *, seats: int, people: int) -> None:
    """Positions 1..people without gaps, handed out under the lock; the first `seats` hold the seats and
    everyone after them waits, in position order."""
    assert [p for p, _ in queue] == list(range(1, people + 1))
    assert [s for _, s in queue] == ["booked"] * seats + ["waitlisted"] * (people - seats)


def _api_person(db: Session) -> dict[str, str]:
    person = make_person(db)
    assert person.email
    # No password: hashing one for each of 100 people would only slow the test down.
    return bearer(db, create_account(db, email=person.email, password=None))


def test_100_api_bookings_at_once_for_20_seats(live: Live) -> None:
    session_id, headers = _seed(live.database_url, seats=20, people=100, make=_api_person)

    def attempt(n: int) -> httpx.Response:
        with httpx.Client(base_url=live.base_url, timeout=60) as client:
            return client.post(f"/api/v1/sessions/{session_id}/bookings", headers=headers[n], json={})

    responses = all_at_once(100, attempt)
    problems = [f"{r.status_code} {r.text[:300]}" for r in responses if r.status_code != 201]
    assert problems == []
    bookings = [r.json() for r in responses]
    # What each person was told agrees with the queue: the first 20 positions booked, the rest waiting
    # with their place in the line.
    for b in bookings:
        booked = b["queue_position"] <= 20
        assert b["status"] == ("booked" if booked else "waitlisted")
        assert b["waitlist_position"] == (None if booked else b["queue_position"] - 20)
    _assert_fifo(_queue(live.database_url, session_id), seats=20, people=100)


def _web_person(db: Session) -> dict[str, str]:
    person = make_person(db)
    return {"email": make_account(db, person).email}


def test_30_form_bookings_at_once_for_5_seats(live: Live) -> None:
    session_id, people = _seed(live.database_url, seats=5, people=30, make=_web_person)
    clients = [httpx.Client(base_url=live.base_url, timeout=60) for _ in people]
    try:
        tokens = [_sign_in(client, p["email"], session_id) for client, p in zip(clients, people, strict=True)]

        def attempt(n: int) -> httpx.Response:
            data = {"csrf_token": tokens[n], "origin": "self"}
            return clients[n].post(f"/sessions/{session_id}/book", data=data)

        responses = all_at_once(len(people), attempt)
    finally:
        for client in clients:
            client.close()
    problems = [f"{r.status_code} {r.text[:300]}" for r in responses if r.status_code != 303]
    assert problems == []
    _assert_fifo(_queue(live.database_url, session_id), seats=5, people=30)


def _sign_in(client: httpx.Client, email: str, session_id: int) -> str:
    """Sign in through the real form; returns the CSRF token the session page's forms carry."""
    token = csrf_from(client.get("/login").text)
    data = {"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"}
    assert client.post("/login", data=data).status_code == 303
    return csrf_from(client.get(f"/sessions/{session_id}").text)

"""A booking storm: 200 people try to book a 20-seat session at the same moment, each in its own thread
with its own database session, through the real booking service. Exactly 20 must be booked and the
other 180 waitlisted, queue positions 1..200 in the order the session's lock was granted."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bench.common import backends, console, fresh_database, median, percentile, table
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.db import make_engine, make_sessionmaker, utcnow
from learnbridge.people.models import Person
from learnbridge.sessions.booking import book_seat
from learnbridge.sessions.models import Booking, LearningSession

SEATS = 20
ATTEMPTS = 200
RUNS = 3


@dataclass
class StormResult:
    booked: int
    waitlisted: int
    fifo: bool
    errors: list[str]
    latencies: list[float]
    wall: float


@dataclass
class Outcome:
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prepare(url: str, *, seats: int = SEATS, people: int = ATTEMPTS) -> tuple[int, list[int]]:
    """A committed session with `seats` seats a week ahead, and `people` people; returns their ids."""
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            item = LearningItem(title="Storm item", status=ItemStatus.published.value, objectives=["x"])
            db.add(item)
            db.flush()
            starts = utcnow().replace(microsecond=0) + dt.timedelta(days=7)
            session = LearningSession(
                item_id=item.id,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                location="Hall",
                capacity=seats,
            )
            db.add(session)
            rows = [
                {"external_id": f"S{n:05d}", "name": f"Stormer {n}", "email": f"storm{n}@example.org"}
                for n in range(people)
            ]
            db.execute(insert(Person), rows)
            db.commit()
            ids = list(db.scalars(select(Person.id).order_by(Person.id)))
            return session.id, ids
    finally:
        engine.dispose()


def storm(url: str, session_id: int, person_ids: list[int]) -> StormResult:
    """Every person books at once (a barrier releases the threads together) and commits."""
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    barrier = threading.Barrier(len(person_ids))
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def attempt(person_id: int) -> None:
        with factory() as db:
            barrier.wait()
            started = time.perf_counter()
            try:
                book_seat(db, session_id=session_id, person_id=person_id)
                db.commit()
            except Exception as exc:  # every failure is reported; none may happen
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:300])
                return
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=attempt, args=(pid,)) for pid in person_ids]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    try:
        return _tally(engine, session_id, errors, latencies, wall)
    finally:
        engine.dispose()


def _tally(
    engine: Engine, session_id: int, errors: list[str], latencies: list[float], wall: float
) -> StormResult:
    with Session(engine) as db:
        rows = db.execute(
            select(Booking.queue_position, Booking.status)
            .where(Booking.session_id == session_id)
            .order_by(Booking.queue_position)
        ).all()
    positions = [p for p, _ in rows]
    statuses = [s for _, s in rows]
    # FIFO: positions are 1..n without gaps (handed out under the lock), the first SEATS hold the seats
    # and everyone after them waits, in position order.
    fifo = positions == list(range(1, len(rows) + 1)) and statuses == (
        ["booked"] * min(SEATS, len(rows)) + ["waitlisted"] * max(len(rows) - SEATS, 0)
    )
    return StormResult(
        booked=statuses.count("booked"),
        waitlisted=statuses.count("waitlisted"),
        fifo=fifo,
        errors=errors,
        latencies=latencies,
        wall=wall,
    )


def run() -> Outcome:
    out = Outcome()
    for backend in backends():
        results = []
        for n in range(RUNS):
            with fresh_database(backend) as url:
                session_id, people = prepare(url)
                console.print(f"  {backend}: storm {n + 1}/{RUNS} ({ATTEMPTS} attempts, {SEATS} seats)")
                results.append(storm(url, session_id, people))
        out.rows.append(_row(backend, results))
        out.notes += [f"{backend}: {e}" for r in results for e in r.errors[:3]]
    return out


def _row(backend: str, results: list[StormResult]) -> list[str]:
    correct = all(
        r.booked == SEATS and r.waitlisted == ATTEMPTS - SEATS and r.fifo and not r.errors for r in results
    )
    return [
        backend,
        " / ".join(f"{r.booked}/{r.waitlisted}" for r in results),
        "yes" if all(r.fifo for r in results) else "NO",
        f"{median([percentile(r.latencies, 50) for r in results]) * 1000:.1f} ms",
        f"{median([percentile(r.latencies, 95) for r in results]) * 1000:.1f} ms",
        f"{median([r.wall for r in results]):.2f} s",
        "correct" if correct else "WRONG",
    ]


def render(out: Outcome) -> None:
    columns = [
        "backend",
        "booked/waitlisted per run",
        "FIFO",
        "p50 attempt",
        "p95 attempt",
        "wall",
        "verdict",
    ]
    console.print(
        table(
            f"Booking storm: {ATTEMPTS} simultaneous attempts for {SEATS} seats, threads through the service "
            f"(median of {RUNS} runs; an attempt's latency includes waiting for the session's lock)",
            columns,
            out.rows,
        )
    )
    for note in out.notes:
        console.print(f"  {note}")

"""A job queue in the database: side effects run after the commit that asked for them, in any number
of worker processes.

`enqueue` writes a job in the caller's transaction, so a job exists only if the caller commits.
`run_pending` claims due jobs one at a time (safe across processes: `FOR UPDATE SKIP LOCKED` on
PostgreSQL, a single `UPDATE ... RETURNING` under SQLite's one-writer lock) and runs each handler in its
own transaction; the job is marked done in that same transaction, so a handler's database writes happen
exactly once. A handler that raises is retried with exponential backoff and failed after MAX_ATTEMPTS.

Some kinds are better run together: a `Batched` handler's due jobs are claimed up to `most` at a time
and run as one, their payloads merged, and finished in that one transaction (the LRS queues one job per
stored batch; one run over fifty batches does the same work without fifty rounds of claims, lookups and
commits competing with the requests for the database's write lock). Should the merged run fail, each
job is run again on its own at once, so one bad job cannot hold back the others.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.sql.dml import ReturningInsert

from learnbridge.core.db import Base, UtcDateTime, table_of, utcnow, write_from_next_transaction
from learnbridge.core.leader import Leadership

logger = logging.getLogger(__name__)

JobHandler = Callable[[Session, dict[str, Any]], None]

MAX_ATTEMPTS = 5
BACKOFF_BASE = dt.timedelta(seconds=30)
# A job still 'running' this long after it was claimed belongs to a worker that died.
STALE_AFTER = dt.timedelta(minutes=15)


class JobStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(Base):
    """One unit of background work. `attempts` counts how often a worker started it."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_run_at", "status", "run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    run_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.queued.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # At most one job per key, ever: enqueueing a key again does nothing.
    unique_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    locked_by: Mapped[str] = mapped_column(String(200), default="")
    locked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


@dataclass(frozen=True)
class RecurringJob:
    """A job enqueued once a day, as soon as the UTC time of day `at` has passed."""

    kind: str
    at: dt.time

    def due(self, now: dt.datetime) -> str | None:
        """The day (YYYY-MM-DD) this job is due for at `now`, or None before today's time."""
        now = now.astimezone(dt.UTC)
        today_at = dt.datetime.combine(now.date(), self.at.replace(tzinfo=None), tzinfo=dt.UTC)
        return now.date().isoformat() if now >= today_at else None


@dataclass(frozen=True)
class Batched:
    """A handler whose jobs may run together: `merge` makes one payload of several (in queue order)."""

    handle: JobHandler
    merge: Callable[[list[dict[str, Any]]], dict[str, Any]]
    most: int = 50

    def __call__(self, db: Session, payload: dict[str, Any]) -> None:
        self.handle(db, payload)


@dataclass(frozen=True)
class JobOutcome:
    """What happened to one job in `run_pending`: done, queued again (for a retry) or failed."""

    id: int
    kind: str
    status: JobStatus
    attempts: int
    error: str = ""


def enqueue(
    db: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    run_at: dt.datetime | None = None,
    unique_key: str | None = None,
) -> bool:
    """Add a job in the caller's transaction; with a unique_key already used, do nothing and return False."""
    values = {"kind": kind, "payload": payload or {}, "run_at": run_at or utcnow(), "unique_key": unique_key}
    table = table_of(Job)
    if unique_key is None:
        db.execute(table.insert().values(**values))
        return True
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt: ReturningInsert[tuple[int]] = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["unique_key"])
        .returning(table.c.id)
    )
    return db.execute(stmt).scalar() is not None


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait before trying again after the `attempts`-th failed try: 30 s, 1, 2, 4 min..."""
    return BACKOFF_BASE * (1 << max(attempts - 1, 0))


def schedule_recurring(db: Session, recurring: Sequence[RecurringJob], *, now: dt.datetime) -> int:
    """Enqueue each recurring job due today and not yet enqueued; the unique key makes this safe to
    run in every process at once. Returns how many were added."""
    added = 0
    for job in recurring:
        day = job.due(now)
        if day is None:
            continue
        key = f"{job.kind}:{day}"
        # Look before writing, so an idle scheduler does not take SQLite's write lock every round.
        if db.scalar(select(Job.id).where(Job.unique_key == key)) is None:
            added += enqueue(db, job.kind, {"day": day}, run_at=now, unique_key=key)
    return added


def requeue_stale(db: Session, *, now: dt.datetime) -> int:
    """Put back jobs whose worker died while running them (failed, if they have no attempts left)."""
    result = db.execute(
        update(table_of(Job))
        .where(Job.status == JobStatus.running.value, Job.locked_at < now - STALE_AFTER)
        .values(
            status=case((Job.attempts >= MAX_ATTEMPTS, JobStatus.failed.value), else_=JobStatus.queued.value),
            locked_by="",
            error="the worker stopped while running it",
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def run_pending(
    sessionmaker: sessionmaker[Session],
    handlers: Mapping[str, JobHandler],
    *,
    worker_id: str,
    now: dt.datetime | None = None,
    recurring: Sequence[RecurringJob] = (),
    limit: int | None = None,
    on_outcome: Callable[[JobOutcome], None] | None = None,
) -> int:
    """Schedule due recurring jobs, then run due jobs one at a time (at most `limit`); returns how many
    ran. `now` fixes the clock (tests); by default it is the real time."""
    clock: Callable[[], dt.datetime] = (lambda: now) if now is not None else utcnow
    # Jobs due when the round starts: a retried job, pushed into the future, waits for a later round.
    cutoff = clock()
    with sessionmaker() as db:
        schedule_recurring(db, recurring, now=cutoff)
        db.commit()
    with sessionmaker() as db:
        if requeued := requeue_stale(db, now=cutoff):
            logger.warning("re-queued %d job(s) left running by a stopped worker", requeued)
        db.commit()
    ran = 0
    while limit is None or ran < limit:
        left = None if limit is None else limit - ran
        claimed = _claim(sessionmaker, handlers, worker_id=worker_id, cutoff=cutoff, at=clock(), most=left)
        if not claimed:
            break
        for outcome in _run_claimed(sessionmaker, handlers, claimed, clock):
            ran += 1
            if on_outcome is not None:
                on_outcome(outcome)
    return ran


@dataclass(frozen=True)
class _Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def _claim(
    sessionmaker: sessionmaker[Session],
    handlers: Mapping[str, JobHandler],
    *,
    worker_id: str,
    cutoff: dt.datetime,
    at: dt.datetime,
    most: int | None = None,
) -> list[_Claimed]:
    """Mark the next due job running for this worker, with the further due jobs of its kind when its
    handler is `Batched` (at most `most` in all), in one transaction; oldest first. On PostgreSQL the
    subquery skips rows other workers have locked; SQLite ignores FOR UPDATE and runs one writer at a
    time, so the `status = 'queued'` re-check is enough there."""
    jobs = table_of(Job)
    due = (
        select(jobs.c.id)
        .where(jobs.c.status == JobStatus.queued.value, jobs.c.run_at <= cutoff)
        .order_by(jobs.c.run_at, jobs.c.id)
        .with_for_update(skip_locked=True)
    )

    def claim(*which: Any) -> Any:
        return (
            update(jobs)
            .where(*which, jobs.c.status == JobStatus.queued.value)
            .values(
                status=JobStatus.running.value,
                locked_by=worker_id,
                locked_at=at,
                attempts=jobs.c.attempts + 1,
            )
            .returning(jobs.c.id, jobs.c.kind, jobs.c.payload, jobs.c.attempts)
        )

    with sessionmaker() as db:
        first = db.execute(claim(jobs.c.id == due.limit(1).scalar_subquery())).first()
        rows = [] if first is None else [first]
        handler = handlers.get(first.kind) if first is not None else None
        if first is not None and isinstance(handler, Batched):
            room = handler.most if most is None else min(handler.most, most)
            # The ids first, then the update: PostgreSQL found no row through `id IN (SELECT ... FOR
            # UPDATE SKIP LOCKED)` inside the UPDATE once the transaction had already claimed one.
            more = db.scalars(due.where(jobs.c.kind == first.kind).limit(room - 1)).all() if room > 1 else []
            if more:
                rows += db.execute(claim(jobs.c.id.in_(more))).all()
        db.commit()
    found = [_Claimed(id=r.id, kind=r.kind, payload=dict(r.payload or {}), attempts=r.attempts) for r in rows]
    return sorted(found, key=lambda job: job.id)


def _run_claimed(
    sessionmaker: sessionmaker[Session],
    handlers: Mapping[str, JobHandler],
    claimed: list[_Claimed],
    clock: Callable[[], dt.datetime],
) -> list[JobOutcome]:
    """Run one claimed job, or several of a `Batched` kind as one; a merged run that fails is run
    again job by job."""
    handler = handlers.get(claimed[0].kind)
    if len(claimed) == 1 or not isinstance(handler, Batched):
        return [_run(sessionmaker, handlers, job, clock) for job in claimed]
    with sessionmaker() as db:
        try:
            write_from_next_transaction(db)
            handler.handle(db, handler.merge([dict(job.payload) for job in claimed]))
            at = clock()
            done = {"status": JobStatus.done.value, "error": "", "locked_by": "", "finished_at": at}
            db.execute(update(table_of(Job)).where(Job.id.in_([job.id for job in claimed])).values(**done))
            db.commit()
            return [
                JobOutcome(id=j.id, kind=j.kind, status=JobStatus.done, attempts=j.attempts) for j in claimed
            ]
        except Exception:
            db.rollback()
            logger.warning(
                "%d %s jobs failed together; running each on its own", len(claimed), claimed[0].kind
            )
    return [_run(sessionmaker, handlers, job, clock) for job in claimed]


def _run(
    sessionmaker: sessionmaker[Session],
    handlers: Mapping[str, JobHandler],
    job: _Claimed,
    clock: Callable[[], dt.datetime],
) -> JobOutcome:
    handler = handlers.get(job.kind)
    with sessionmaker() as db:
        if handler is None:
            error = f"no handler for job kind {job.kind!r}"
            logger.error("job %d failed: %s", job.id, error)
            return _finish(db, job, JobStatus.failed, clock(), error=error)
        try:
            # A job writes whatever it reads: on SQLite its transaction takes the write lock at its first
            # statement, so it waits its turn rather than failing ("database is locked") when a request
            # committed between its reads and its first write.
            write_from_next_transaction(db)
            # A batched kind's handler always sees the merged form, of one payload here.
            payload = (
                handler.merge([dict(job.payload)]) if isinstance(handler, Batched) else dict(job.payload)
            )
            handler(db, payload)
            # Done in the handler's own transaction: its writes and the job's end commit together.
            return _finish(db, job, JobStatus.done, clock())
        except Exception as exc:
            db.rollback()
            logger.exception("job %d (%s) failed on attempt %d", job.id, job.kind, job.attempts)
            error = f"{type(exc).__name__}: {exc}"
            if job.attempts >= MAX_ATTEMPTS:
                return _finish(db, job, JobStatus.failed, clock(), error=error)
            return _finish(db, job, JobStatus.queued, clock(), error=error)


def _finish(db: Session, job: _Claimed, status: JobStatus, at: dt.datetime, *, error: str = "") -> JobOutcome:
    values: dict[str, Any] = {"status": status.value, "error": error[:10_000], "locked_by": ""}
    if status == JobStatus.queued:
        values["run_at"] = at + backoff(job.attempts)
    else:
        values["finished_at"] = at
    db.execute(update(table_of(Job)).where(Job.id == job.id).values(**values))
    db.commit()
    return JobOutcome(id=job.id, kind=job.kind, status=status, attempts=job.attempts, error=error)


class JobRunner:
    """Runs `run_pending` in a background thread every `poll_seconds` (or at once after `wake()`),
    for the app process; logs and carries on after any error."""

    batch = 50  # jobs per round, so stop() waits for at most one round

    def __init__(
        self,
        sessionmaker: sessionmaker[Session],
        handlers: Mapping[str, JobHandler],
        recurring: Sequence[RecurringJob] = (),
        poll_seconds: float = 2.0,
        *,
        worker_id: str = "in-process",
        leadership: Leadership | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        # With several app processes, only the one that leads runs jobs; the others look again each poll.
        self.leadership = leadership
        self.handlers = handlers
        self.recurring = recurring
        self.poll_seconds = poll_seconds
        self.worker_id = worker_id
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="learnbridge-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 60.0) -> None:
        """Ask the thread to stop after the job it is running, and wait for it."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self.leadership is not None:
            self.leadership.release()

    def wake(self) -> None:
        """Run a round now instead of at the next poll."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            ran = 0
            if self.leadership is not None and not self.leadership.hold():
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
                continue
            try:
                ran = run_pending(
                    self.sessionmaker,
                    self.handlers,
                    worker_id=self.worker_id,
                    recurring=self.recurring,
                    limit=self.batch,
                )
            except Exception:
                logger.exception("job runner round failed; trying again in %s s", self.poll_seconds)
            if ran < self.batch:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()

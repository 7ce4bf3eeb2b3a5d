"""SQLite writers of one process queue on a lock of the process's own before they ask SQLite for the
write lock (BEGIN IMMEDIATE), and give it back the moment their transaction ends.

Without it, a writer that finds the database locked sleeps in SQLite's busy handler (1, 2, 5, 10 ... 100 ms
at a time) and is often still asleep when the lock is free: eight LRS clients posting at once stored fewer
statements a second than one alone. Waiting on a threading lock wakes the next writer as soon as the last
one commits. Writers in other processes (the CLI, `learnbridge worker`) still meet at SQLite's own lock,
with its busy timeout; a writer that waits here longer than that timeout gets the same "database is
locked" (503 with Retry-After in the app)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
_HELD = "learnbridge_writer_lock"


def _lock_for(path: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path, threading.Lock())


def queue_writers(engine: Engine, path: str, timeout: float) -> None:
    """Make `engine`'s IMMEDIATE transactions on the database at `path` queue in this process."""
    lock = _lock_for(path)

    def end(conn: Connection, statement: str) -> None:
        """End the transaction on the driver's connection ourselves, then let the next writer in:
        SQLAlchemy's commit/rollback events come before it ends it (and find nothing left to end)."""
        info = conn.info
        if not info.get(_HELD):
            return
        raw: Any = conn.connection.dbapi_connection
        try:
            if raw is not None and raw.in_transaction:
                raw.execute(statement)
        except sqlite3.Error:
            return  # SQLAlchemy's own commit or rollback raises it properly; the lock goes at checkin
        info.pop(_HELD, None)
        lock.release()

    def on_commit(conn: Connection) -> None:
        end(conn, "COMMIT")

    def on_rollback(conn: Connection) -> None:
        end(conn, "ROLLBACK")

    def on_checkin(_dbapi: Any, record: Any) -> None:
        if record is not None and record.info.pop(_HELD, None):
            lock.release()

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    event.listen(engine.pool, "checkin", on_checkin)
    engine.dialect._learnbridge_writer_queue = (lock, timeout)  # type: ignore[attr-defined]


def wait_turn(conn: Connection) -> None:
    """Before BEGIN IMMEDIATE: take this process's writer lock (the engine's, if it has one)."""
    queue: tuple[threading.Lock, float] | None = getattr(conn.dialect, "_learnbridge_writer_queue", None)
    if queue is None or conn.info.get(_HELD):
        return
    lock, timeout = queue
    if not lock.acquire(timeout=timeout):
        raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
    conn.info[_HELD] = True


@contextmanager
def writers_turn(engine: Engine) -> Iterator[bool]:
    """A turn among this process's writers for work done outside the engine's sessions (the upkeep
    thread's ANALYZE): yields whether the turn came within the writers' timeout (True where the engine
    has no queue)."""
    queue: tuple[threading.Lock, float] | None = getattr(engine.dialect, "_learnbridge_writer_queue", None)
    if queue is None:
        yield True
        return
    lock, timeout = queue
    if not lock.acquire(timeout=timeout):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()

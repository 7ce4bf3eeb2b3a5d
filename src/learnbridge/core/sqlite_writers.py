"""SQLite writers queue on a lock of their own before they ask SQLite for the write lock (BEGIN
IMMEDIATE), and give it back the moment their transaction ends: first on a threading lock of their
process, then on a file lock beside the database shared by every process (`serve --workers N`, the CLI,
`learnbridge worker`).

Without it, a writer that finds the database locked sleeps in SQLite's busy handler (1, 2, 5, 10 ... 100 ms
at a time) and is often still asleep when the lock is free: eight LRS clients posting at once stored fewer
statements a second than one alone, in one process or across two. Waiting on a threading lock wakes the
next writer of the process as soon as the last one commits; the one writer of each process that holds it
then looks for the file lock every half millisecond. A writer that waits longer than SQLite's busy timeout
gets the same "database is locked" (503 with Retry-After in the app)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

_HELD = "learnbridge_writer_lock"
_POLL_SECONDS = 0.0005


class WriterQueue:
    """The writers' turn on one database file: a lock for this process's threads, then a lock on the
    file `<database>-writers` for the processes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def locked(self) -> bool:
        return self._threads.locked()

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        try:
            fd = self._file()
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(_POLL_SECONDS)
        except BaseException:
            self._threads.release()
            raise
        self._threads.release()
        return False

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _file(self) -> int:
        """The lock file, opened once per process (a forked child opens its own: flock locks belong
        to the open file, which a fork shares)."""
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(f"{self.path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd


_QUEUES: dict[str, WriterQueue] = {}
_QUEUES_GUARD = threading.Lock()


def _lock_for(path: str) -> WriterQueue:
    with _QUEUES_GUARD:
        return _QUEUES.setdefault(path, WriterQueue(path))


def queue_writers(engine: Engine, path: str, timeout: float) -> None:
    """Make `engine`'s IMMEDIATE transactions on the database at `path` queue first."""
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
    queue: tuple[WriterQueue, float] | None = getattr(conn.dialect, "_learnbridge_writer_queue", None)
    if queue is None or conn.info.get(_HELD):
        return
    lock, timeout = queue
    if not lock.acquire(timeout):
        raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
    conn.info[_HELD] = True


@contextmanager
def writers_turn(engine: Engine) -> Iterator[bool]:
    """A turn among this process's writers for work done outside the engine's sessions (the upkeep
    thread's ANALYZE): yields whether the turn came within the writers' timeout (True where the engine
    has no queue)."""
    queue: tuple[WriterQueue, float] | None = getattr(engine.dialect, "_learnbridge_writer_queue", None)
    if queue is None:
        yield True
        return
    lock, timeout = queue
    if not lock.acquire(timeout):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()

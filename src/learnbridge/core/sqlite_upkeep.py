"""SQLite's upkeep, done by the app beside its requests instead of inside them.

**Checkpoints.** In WAL mode a commit appends pages to the write-ahead log, and by default the commit that
takes the log past 1,000 pages also copies the log back into the database file (a checkpoint): 20-30 ms
here, paid by whichever request happened to commit then (a quarter of an LRS batch's time, on average).
The app's connections now leave that to this thread: it checkpoints (PASSIVE: it never blocks a reader
or a writer) shortly after commits, in a connection of its own, while SQLite runs without the GIL.
Connections still checkpoint themselves past `BACKSTOP_PAGES`, should this thread fall behind or stop.

**Planner statistics.** SQLite chooses indexes from `sqlite_stat1`, which nothing fills unless someone
runs ANALYZE. Every `ANALYZE_EVERY` seconds (and once at start), and whenever the database has grown by
half since, this thread runs ANALYZE with `analysis_limit` (each index sampled, not read whole: a few
milliseconds at a million statements), so a store that grows keeps fitting plans without anyone running
ANALYZE by hand; every open connection then reloads them."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from learnbridge.core.sqlite_writers import writers_turn

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 20_000  # a connection checkpoints itself past this (80 MB of log)
CHECKPOINT_AFTER = 0.05  # seconds after a commit
ANALYZE_EVERY = 600.0
ANALYZE_GROWTH = 1.5
ANALYSIS_LIMIT = 1000
CHECKPOINT_WAIT_MS = 1000
ANALYZE_WAIT_MS = 5000
_RELOAD_MARK = "learnbridge_statistics_reload"


def database_path(engine: Engine) -> Path | None:
    """The file of a file-backed SQLite engine, else None."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    return None if not name or name == ":memory:" else Path(name)


class SqliteUpkeep:
    """The checkpoint and statistics thread for one SQLite engine (start() does nothing elsewhere)."""

    def __init__(self, engine: Engine) -> None:
        self.path = database_path(engine)
        self.engine = engine
        self._woken = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0
        self.analyses = 0
        self.analyses_missed = 0

    def start(self) -> None:
        if self.path is None or self._thread is not None:
            return
        event.listen(self.engine, "connect", self._on_connect)
        event.listen(self.engine, "commit", self._on_commit)
        # Connections opened before this (the app's start-up reads) get the same setting.
        self.engine.pool.dispose()
        self._thread = threading.Thread(target=self._loop, name="sqlite-upkeep", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._woken.set()
        self._thread.join(timeout)
        event.remove(self.engine, "connect", self._on_connect)
        event.remove(self.engine, "commit", self._on_commit)
        self._thread = None

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        cursor.close()

    def _on_commit(self, _conn: Any) -> None:
        self._woken.set()

    def _loop(self) -> None:
        assert self.path is not None
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        analysed_at, analysed_size = 0.0, 0
        try:
            while not self._stop.is_set():
                self._woken.wait(ANALYZE_EVERY / 10)
                if self._stop.is_set():
                    break
                self._woken.clear()
                time.sleep(CHECKPOINT_AFTER)  # let a burst of commits land first
                self._checkpoint(conn)
                size = self._size()
                due = time.monotonic() - analysed_at >= ANALYZE_EVERY
                # A failed ANALYZE (another process held the write lock throughout) is tried again at the
                # next commit: resetting the trigger anyway left a store that grew under a busy writer
                # planned by the statistics of its first few hundred rows.
                if (due or size >= analysed_size * ANALYZE_GROWTH) and self._analyze(conn):
                    self._checkpoint(conn)
                    analysed_at, analysed_size = time.monotonic(), size
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as exc:  # busy or locked: the next commit wakes us again
            log.debug("checkpoint skipped: %s", exc)

    def _analyze(self, conn: sqlite3.Connection) -> bool:
        """ANALYZE in its turn among this process's writers (else the app's back-to-back writers starve
        it: each finds the lock free the moment the last commits, this thread only when its busy handler
        next wakes), waiting up to ANALYZE_WAIT_MS for another process's writer."""
        with writers_turn(self.engine) as turn:
            if not turn:
                self.analyses_missed += 1
                return False
            try:
                conn.execute(f"PRAGMA busy_timeout={ANALYZE_WAIT_MS}")
                conn.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ANALYZE")
                # Connections read the statistics when they load the schema, and only the first ANALYZE
                # changes the schema: a view made and dropped in the same transaction changes it, so every
                # open connection loads the new statistics before its next statement (the app's pooled
                # connections otherwise planned with what they read when they opened).
                conn.execute(f"CREATE VIEW {_RELOAD_MARK} AS SELECT 1")
                conn.execute(f"DROP VIEW {_RELOAD_MARK}")
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self.analyses_missed += 1
                log.debug("analyze skipped: %s", exc)
                return False
            finally:
                conn.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        self.analyses += 1
        return True

    def _size(self) -> int:
        assert self.path is not None
        try:
            return os.stat(self.path).st_size
        except OSError:
            return 0

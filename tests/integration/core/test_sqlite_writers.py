"""SQLite writers of one process queue on a lock of its own (core.sqlite_writers): every writer gets its
turn, the lock is given back however the transaction ends, and a writer that waits too long is told the
database is locked. SQLite only by nature: PostgreSQL writers lock rows."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from learnbridge.core.db import begin_write, make_engine
from learnbridge.core.sqlite_writers import _lock_for
from tests.helpers.cli import SOURCE


def _engine(tmp_path: Path, lock_timeout: float = 10.0):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", lock_timeout=lock_timeout)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (n INTEGER)"))
    return engine


def test_concurrent_writers_take_turns_and_give_the_lock_back(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                with Session(engine) as db:
                    begin_write(db)
                    db.execute(text("INSERT INTO t (n) VALUES (:n)"), {"n": n * 100 + i})
                    if i % 5 == 4:
                        db.rollback()  # a rolled-back writer gives its turn back too
                    else:
                        db.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 8 * 16
    assert not _lock_for(str((tmp_path / "w.db").resolve())).locked()
    engine.dispose()


def test_a_session_closed_mid_write_gives_the_lock_back(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with Session(engine) as db:
        begin_write(db)
        db.execute(text("INSERT INTO t (n) VALUES (1)"))
        assert _lock_for(str((tmp_path / "w.db").resolve())).locked()
    assert not _lock_for(str((tmp_path / "w.db").resolve())).locked()
    engine.dispose()


def test_a_writer_that_waits_too_long_is_told_the_database_is_locked(tmp_path: Path) -> None:
    engine = _engine(tmp_path, lock_timeout=0.2)
    with Session(engine) as first, Session(engine) as second:
        begin_write(first)
        first.execute(text("INSERT INTO t (n) VALUES (1)"))
        with pytest.raises(OperationalError, match="database is locked"):
            begin_write(second)  # BEGIN IMMEDIATE, after waiting its turn for 0.2 s
        first.commit()
    engine.dispose()


OTHER_PROCESS = """
import sys, time
from sqlalchemy import text
from sqlalchemy.orm import Session
from learnbridge.core.db import begin_write, make_engine
engine = make_engine(sys.argv[1], lock_timeout=float(sys.argv[2]))
print("ready", flush=True)
sys.stdin.readline()
start = time.monotonic()
try:
    with Session(engine) as db:
        begin_write(db)
        db.execute(text("INSERT INTO t (n) VALUES (2)"))
        db.commit()
    print(f"wrote after {time.monotonic() - start:.3f}", flush=True)
except Exception as exc:
    print(f"refused after {time.monotonic() - start:.3f}: {exc}", flush=True)
"""


def _other_process(tmp_path: Path, timeout: float) -> subprocess.Popen[str]:
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROCESS, f"sqlite:///{tmp_path / 'w.db'}", str(timeout)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": SOURCE},
    )
    assert other.stdout is not None and other.stdout.readline().strip() == "ready"
    return other


def test_writers_in_another_process_queue_on_the_file_lock(tmp_path: Path) -> None:
    """A writer in another process (`serve --workers N`) waits for the file lock and goes in as soon as
    it is free (not after a busy-handler sleep), or is told the database is locked when it waits too long."""
    engine = _engine(tmp_path)
    path = str((tmp_path / "w.db").resolve())
    for timeout, hold, verdict in ((10.0, 0.6, "wrote"), (0.2, 1.5, "refused")):
        other = _other_process(tmp_path, timeout)
        with Session(engine) as db:
            begin_write(db)
            db.execute(text("INSERT INTO t (n) VALUES (1)"))
            # Held across processes: another open of the lock file cannot take it.
            probe = os.open(f"{path}-writers", os.O_RDWR)
            with pytest.raises(BlockingIOError):
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.close(probe)
            assert other.stdin is not None
            other.stdin.write("go\n")
            other.stdin.flush()
            time.sleep(hold)
            db.commit()
        output, _ = other.communicate(timeout=30)
        said, _, waited = output.strip().partition(" after ")
        assert said == verdict, output
        seconds = float(waited.split(":")[0])
        if verdict == "wrote":
            # It waited (it may have read "go" late on a busy machine), and went in soon after the lock
            # came free, not after a busy-handler sleep.
            assert 0.1 <= seconds <= hold + 1.0, output
        else:
            assert "database is locked" in output and seconds < hold, output
    engine.dispose()

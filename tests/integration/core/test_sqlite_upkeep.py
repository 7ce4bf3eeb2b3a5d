"""SQLite's checkpoints and planner statistics are the app's own upkeep (core.sqlite_upkeep): requests'
connections leave the write-ahead log to a thread that copies it back and keeps `sqlite_stat1` current.

SQLite only by nature: PostgreSQL checkpoints and analyses itself (autovacuum)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.core.db import SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES, make_engine, write_from_next_transaction
from learnbridge.core.migrate import upgrade
from learnbridge.core.sqlite_upkeep import BACKSTOP_PAGES, SqliteUpkeep, database_path
from learnbridge.lrs.clients import create_client
from learnbridge.lrs.models import Statement
from learnbridge.lrs.statements import receive_statements


def _statements(n: int, offset: int) -> list[dict[str, object]]:
    return [
        {
            "actor": {"mbox": f"mailto:p{(offset + i) % 50}@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": f"https://example.org/activities/{(offset + i) % 20}"},
        }
        for i in range(n)
    ]


def _until(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_app_checkpoints_and_keeps_statistics_current(tmp_path: Path) -> None:
    path = tmp_path / "upkeep.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    upkeep = SqliteUpkeep(engine)
    upkeep.start()
    try:
        with Session(engine) as db:
            assert db.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
            client, _ = create_client(db, name="upkeep", home_page="https://example.org")
            db.commit()
            for batch in range(5):
                write_from_next_transaction(db)  # as the LRS route does: the upkeep thread writes too
                document = _statements(100, batch * 100)
                receive_statements(
                    db, document=document, attachments={}, client=client, version="1.0.3", put_id=None
                )
                db.commit()
            assert db.scalar(select(func.count()).select_from(Statement)) == 500

        # The log's pages reached the database file itself (read without the log: immutable), though no
        # connection came near the backstop: the upkeep thread checkpointed them.
        def in_the_file() -> int:
            try:
                with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as raw:
                    return int(raw.execute("SELECT count(*) FROM xapi_statements").fetchone()[0])
            except sqlite3.DatabaseError:  # caught half way through a checkpoint: look again
                return -1

        assert _until(lambda: upkeep.checkpoints > 0 and in_the_file() == 500)

        # And the planner has statistics for the statements' indexes, without anyone running ANALYZE.
        def analysed() -> set[str]:
            with sqlite3.connect(path) as raw:
                found = raw.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall()
                if not found:
                    return set()
                rows = raw.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'xapi_statements'")
                return {row[0] for row in rows}

        assert _until(lambda: "ix_xapi_statements_actor" in analysed())
        assert upkeep.analyses >= 1
    finally:
        upkeep.stop()
        engine.dispose()


def test_only_file_databases_get_an_upkeep_thread(tmp_path: Path) -> None:
    memory = make_engine("sqlite:///:memory:")
    assert database_path(memory) is None
    upkeep = SqliteUpkeep(memory)
    upkeep.start()  # nothing to keep: no thread
    upkeep.stop()
    assert upkeep.checkpoints == 0
    assert database_path(make_engine(f"sqlite:///{tmp_path / 'f.db'}")) == tmp_path / "f.db"


def test_statistics_missed_under_a_busy_writer_are_gathered_at_the_next_chance(tmp_path: Path) -> None:
    """Another process holding the write lock past the busy timeout makes ANALYZE fail; the upkeep then
    tries again at the next wake instead of waiting for the store to grow by half once more."""
    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    upkeep = SqliteUpkeep(engine)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the other process's long write
    upkeep.start()
    try:
        upkeep._woken.set()  # what a commit does
        assert _until(lambda: upkeep.analyses_missed >= 1)
        assert upkeep.analyses == 0
        writer.execute("COMMIT")
        upkeep._woken.set()  # the next commit, the database no bigger than before
        assert _until(lambda: upkeep.analyses >= 1)
    finally:
        writer.close()
        upkeep.stop()
        engine.dispose()


def test_every_connection_gets_a_page_cache_and_memory_mapped_reads(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pages.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB
            assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == SQLITE_MMAP_BYTES
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_connections_open_before_an_analysis_plan_with_its_statistics(tmp_path: Path) -> None:
    """SQLite connections read `sqlite_stat1` when they load the schema; the upkeep's ANALYZE makes every
    open connection (the app's pool) load it again before its next statement."""
    path = tmp_path / "reload.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    with sqlite3.connect(path) as raw:
        raw.execute("ANALYZE")  # statistics exist already: a later ANALYZE alone changes no schema
    engine = make_engine(url)
    upkeep = SqliteUpkeep(engine)
    try:
        with engine.connect() as pooled:  # opened, and the schema read, before the analysis
            before = pooled.exec_driver_sql("PRAGMA schema_version").scalar()
            pooled.commit()  # back to the pool, as a request's connection goes
            upkeep.path = path  # run one analysis by hand, without the thread
            assert upkeep._analyze(sqlite3.connect(path, isolation_level=None))
            assert pooled.exec_driver_sql("PRAGMA schema_version").scalar() == (before or 0) + 2
            # Nothing of the mark is left.
            views = pooled.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'view'").scalar()
            assert views == 0
    finally:
        engine.dispose()

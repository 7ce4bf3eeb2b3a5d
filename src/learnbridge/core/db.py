"""Declarative base, engine and sessions. SQLite runs with WAL and foreign keys on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, String, Table, create_engine, event
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Session, SessionTransaction, sessionmaker
from sqlalchemy.types import TypeDecorator

from learnbridge.core.settings import Settings
from learnbridge.core.sqlite_writers import queue_writers, wait_turn

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def path_string(length: int) -> String:
    """A string compared byte by byte (materialised paths, prefix ranges) on every backend."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class, for set-based statements."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def max_length(attribute: InstrumentedAttribute[Any]) -> int:
    """The declared length of a string column, so input checks and the schema agree."""
    length = getattr(attribute.type, "length", None)
    assert isinstance(length, int), f"{attribute} has no length"
    return length


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# How long a writer waits for a lock before it gives up (SQLite's busy timeout, PostgreSQL's
# lock_timeout); the app answers 503 with Retry-After then (core.problems).
LOCK_TIMEOUT_SECONDS = 10.0


# Each connection's page cache (SQLite's default is 2 MiB) and how much of the file it reads through
# memory mapping instead of read calls. Storing a batch of statements touches a few hundred index pages
# spread over the file; with the defaults most of them were read again for every batch (HTTP ingest,
# median batch: 3,470-3,950/s -> 4,150-4,390/s with these, measured alternately). Pages are allocated
# as used; the mapping is the page cache the kernel already keeps.
SQLITE_CACHE_KIB = 65_536
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def _sqlite_pragmas(busy_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that BEGIN and
        # SAVEPOINT behave as on other databases (the driver would otherwise defer BEGIN until the first
        # write, and a savepoint opened before it would commit on release).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    return on_connect


# An execution option (set by begin_write) asking the next transaction to begin IMMEDIATE.
_WRITE_LOCK = "learnbridge_begin_immediate"


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(_WRITE_LOCK, False)
    if immediate:
        wait_turn(conn)  # this process's writers queue first (core.sqlite_writers)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(db: Session) -> None:
    """Start the transaction that will write, holding SQLite's write lock from its first statement.

    Call it in an entry point after reading (authentication) and before a service that locks:
    in WAL mode a transaction that has read cannot later take the write lock once another
    connection has committed (SQLITE_BUSY_SNAPSHOT, raised at once, whatever busy_timeout says),
    so the reads are committed first (loaded objects stay loaded: expire_on_commit=False) and the
    next transaction begins IMMEDIATE, waiting its turn. PostgreSQL locks rows as it goes: no-op."""
    if db.get_bind().dialect.name != "sqlite":
        return
    db.commit()
    db.connection(execution_options={_WRITE_LOCK: True})


def make_engine(
    database_url: str, *, echo: bool = False, lock_timeout: float | None = LOCK_TIMEOUT_SECONDS
) -> Engine:
    """Build the engine for a URL; `postgresql://` URLs use psycopg 3. A writer waits at most
    `lock_timeout` seconds for a lock (None: as long as it takes, on PostgreSQL; migrations)."""
    busy_ms = int((lock_timeout if lock_timeout is not None else LOCK_TIMEOUT_SECONDS) * 1000)
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    if database_url.startswith("sqlite:///") and not database_url.startswith("sqlite:///:memory:"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        # Both pools hold more connections than the request threadpool's 40 workers, so a worker never
        # waits for a connection that only another queued request could give back. SQLite connections
        # are cheap file handles.
        # Last in, first out: the connection a request gets is the one the last request used, whose page
        # cache is still warm (SQLite keeps one per connection).
        pool = (
            {} if ":memory:" in database_url else {"pool_size": 20, "max_overflow": 40, "pool_use_lifo": True}
        )
        engine = create_engine(database_url, echo=echo, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas(busy_ms))
        event.listen(engine, "begin", _sqlite_begin)
        if ":memory:" not in database_url:
            queue_writers(
                engine, str(Path(database_url.removeprefix("sqlite:///")).resolve()), busy_ms / 1000
            )
        return engine
    options = {"options": f"-c lock_timeout={busy_ms}"} if lock_timeout is not None else {}
    return create_engine(
        database_url, echo=echo, pool_pre_ping=True, pool_size=20, max_overflow=30, connect_args=options
    )


def write_briefly(db: Session, work: Callable[[], object], *, wait: float = 0.1) -> bool:
    """Run a best-effort write (a bookkeeping stamp) in a transaction of its own that waits at most
    `wait` seconds for a lock; False, with nothing written, when it could not have one in time. A read
    must never queue behind a writer, nor fail because one is busy, for the sake of such a stamp."""
    db.commit()
    conn = db.connection()
    wait_ms = int(wait * 1000)
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        # Per connection: set back below on this same connection, before it returns to the pool.
        normal = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
    else:
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{wait_ms}ms'")
    try:
        work()
        done = True
    except OperationalError:
        done = False
    if sqlite:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={normal}")
    if done:
        db.commit()
    else:
        db.rollback()
    return done


def make_sessionmaker(engine: Engine, settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions that carry the settings (`settings_of`), for rules that need one (a calendar's organizer)."""
    info = {"settings": settings} if settings is not None else {}
    return sessionmaker(engine, expire_on_commit=False, info=info)


def settings_of(db: Session) -> Settings:
    """The settings the session was made with; from the environment when it was made without."""
    settings = db.info.get("settings")
    return settings if isinstance(settings, Settings) else Settings()


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One session per request or command: the caller commits; closing rolls back anything left over
    (without expiring loaded objects, so an error page can still show who is signed in).

    Once closed the session refuses further use (close_resets_only=False) instead of quietly opening
    a new transaction: an error page rendered after the route's session closed once reopened it, and
    nothing ever closed that transaction again (on SQLite it held the write lock for minutes)."""
    with factory(close_resets_only=False) as db:
        yield db


def write_after_reads(db: Session) -> None:
    """For a dependency that hands a route its session for writing: commit what was read so far, and
    begin the route's own transaction IMMEDIATE on SQLite, at its first statement, in the route's
    thread (a lock taken here would be held while the request waits for a thread for the route)."""
    db.commit()
    write_from_next_transaction(db)


def write_from_next_transaction(db: Session) -> None:
    """On SQLite, begin the session's next transaction IMMEDIATE (see begin_write). For a request that may
    write, called once authentication's reads are committed: the route's transaction then takes the write
    lock, in the route's own thread, before it reads, and waits its turn instead of failing at once when
    another connection committed between its read and its write. Later transactions (reads after the
    route's commit, for the response) are deferred again, so they never hold the lock. A no-op elsewhere."""
    bind = db.bind
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite" or db.in_transaction():
        return
    if bind.get_execution_options().get(_WRITE_LOCK):
        return  # already asked for (each request asks at most once per transaction)
    db.bind = bind.execution_options(**{_WRITE_LOCK: True})

    def restore(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.bind = bind

    event.listen(db, "after_transaction_end", restore)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an INSERT ... SELECT, UPDATE or DELETE touched (executed with preserve_rowcount
    for an INSERT: SQLAlchemy keeps an insert's row count only when asked)."""
    assert isinstance(result, CursorResult)
    return max(int(result.rowcount or 0), 0)

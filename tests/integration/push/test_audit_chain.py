"""The audit trail is tamper-evident, not only immutable: its rows form a hash chain in seq order that
`verify_chain` (and `learnbridge audit verify`) walks, and SQLite's INSERT OR REPLACE and PostgreSQL's
TRUNCATE are refused like UPDATE and DELETE. Tampering tests disarm the triggers as someone with access
to the database would, on a committed database of their own."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Integer, String, cast, func, insert, literal, select, text, union_all, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from learnbridge.core.db import begin_write, make_engine, make_sessionmaker, table_of, utcnow
from learnbridge.core.migrate import alembic_config, upgrade
from learnbridge.models import metadata
from learnbridge.people.models import Person
from learnbridge.push import audit, audit_chain
from learnbridge.push.audit import Actor
from learnbridge.push.audit_chain import Head, verify_chain
from learnbridge.push.models import AuditAction, AuditEvent
from tests.factories import ADMIN, make_item, make_person, make_requirement
from tests.helpers.cli import cli

TODAY = dt.date(2026, 3, 2)
# Text that a sloppy serialisation would confuse: separators, digits and colons, quotes, non-ASCII.
ODD = "Zoë — ✓ 3:abc-;|\n 'x' \"y\" 0:"


def _trail(db: Session) -> None:
    """Rows from every writer: a requirement's activation (single rows and INSERT ... SELECT batches),
    rows with NULLs and odd text, and an import's executemany."""
    people = [make_person(db) for _ in range(3)]
    make_requirement(db, items=[make_item(db)], today=TODAY)
    audit.record(
        db, actor=Actor.system("test"), action=AuditAction.exempted, person_id=people[0].id, reason=ODD
    )
    audit.record(db, actor=ADMIN, action=AuditAction.completion_recorded, detail=ODD, reason="")
    now = utcnow().replace(microsecond=123)
    audit.record_many(
        db,
        [
            {"at": now, "actor": "import", "action": "completion_recorded", "person_id": p.id, "detail": ODD}
            for p in people
        ],
    )
    rows = select(literal(None, Integer), Person.id, literal(None, Integer), literal(ODD)).order_by(Person.id)
    audit.record_batch(db, actor=ADMIN, action=AuditAction.unassigned, rows=rows, reason=ODD)


def _count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _head(db: Session) -> Head:
    row = db.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).one()
    return Head(row.seq, bytes(row.hash))


def test_every_writer_extends_one_unbroken_chain(db: Session) -> None:
    _trail(db)
    check = verify_chain(db, page=7)  # several pages
    assert check.intact, check.broken
    assert check.rows == _count(db) >= 13
    assert check.head == _head(db)
    seqs = db.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_rolled_back_savepoint_leaves_no_gap(db: Session) -> None:
    audit.record(db, actor=ADMIN, action=AuditAction.exempted, detail="kept")
    savepoint = db.begin_nested()
    audit.record(db, actor=ADMIN, action=AuditAction.exempted, detail="rolled back")
    audit.record_batch(db, actor=ADMIN, action=AuditAction.unassigned, rows=_one_row())
    savepoint.rollback()
    audit.record_batch(db, actor=ADMIN, action=AuditAction.unassigned, rows=_one_row())
    audit.record(db, actor=ADMIN, action=AuditAction.exempted, detail="after")
    check = verify_chain(db)
    assert check.intact and check.rows == _count(db), check.broken


def _one_row() -> Any:
    return select(literal(None, Integer), literal(None, Integer), literal(None, Integer), literal("batch"))


def test_replace_truncate_update_and_delete_are_refused(db: Session) -> None:
    event = audit.record(db, actor=ADMIN, action=AuditAction.exempted, detail="original")
    head = _head(db)
    refused = ["UPDATE audit_events SET detail = 'changed'", "DELETE FROM audit_events"]
    if db.get_bind().dialect.name == "sqlite":
        # REPLACE deletes the row it collides with (on id or on seq), firing no DELETE trigger: a BEFORE
        # INSERT trigger refuses the collision.
        columns = "(id, at, actor, action, detail, reason, seq, hash)"
        values = "'2026-01-01 00:00:00.000000', 'x', 'exempted', 'forged', '', :seq, :hash"
        refused += [
            f"INSERT OR REPLACE INTO audit_events {columns} VALUES ({event.id}, {values})",
            f"REPLACE INTO audit_events {columns} VALUES ({event.id}, {values})",
            f"INSERT OR REPLACE INTO audit_events {columns} VALUES ({event.id + 1000}, {values})",
        ]
    else:
        refused += ["TRUNCATE audit_events", "TRUNCATE audit_events CASCADE"]
    for statement in refused:
        with pytest.raises(DBAPIError, match="cannot be changed or deleted"), db.begin_nested():
            db.execute(text(statement), {"seq": head.seq, "hash": bytes(32)})
    assert db.scalar(select(AuditEvent.detail).where(AuditEvent.id == event.id)) == "original"
    assert _head(db) == head


def test_postgresql_sets_the_links_whatever_an_insert_says(db: Session) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite's links come from push.audit; only PostgreSQL has a trigger to set them")
    head = verify_chain(db).head
    forged = {"at": utcnow(), "actor": "x", "action": "exempted", "seq": 10**9, "hash": bytes(32)}
    db.execute(insert(table_of(AuditEvent)), forged)
    check = verify_chain(db)
    assert check.intact and check.head.seq == head.seq + 1, check.broken


# --- tampering, on a committed database ------------------------------------------------------------


@contextmanager
def _as_intruder(url: str) -> Iterator[Session]:
    """A transaction with the audit triggers disarmed, as someone with access to the database would;
    everything it does (the disarming included) is rolled back at the end."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            _disarm(conn)
            yield Session(bind=conn)
            conn.rollback()
    finally:
        engine.dispose()


def _disarm(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        return
    names = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'"
    )
    for name in names.scalars().all():
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')


def _committed_trail(url: str) -> Head:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            _trail(db)
            db.commit()
            check = verify_chain(db)
            assert check.intact, check.broken
            return check.head
    finally:
        engine.dispose()


def _id_at(db: Session, seq: int) -> int:
    return int(db.scalars(select(AuditEvent.id).where(AuditEvent.seq == seq)).one())


def _broken(db: Session, expect: Head | None = None) -> tuple[int, int | None, str]:
    check = verify_chain(db, expect=expect, page=4)
    assert check.broken is not None, "tampering went unnoticed"
    return check.broken.seq, check.broken.row_id, check.broken.problem


def test_a_plain_sqlite3_connection_cannot_replace_a_row_either(committed_url: str) -> None:
    """What the sqlite3 shell does: no pragma of ours, straight at the file."""
    if not committed_url.startswith("sqlite:///"):
        pytest.skip("SQLite's INSERT OR REPLACE; PostgreSQL has no such statement")
    head = _committed_trail(committed_url)
    conn = sqlite3.connect(committed_url.removeprefix("sqlite:///"))
    try:
        first = conn.execute("SELECT id, seq FROM audit_events ORDER BY seq LIMIT 1").fetchone()
        replace = (
            "INSERT OR REPLACE INTO audit_events (id, at, actor, action, detail, reason, seq, hash) "
            "VALUES (?, '2026-01-01 00:00:00.000000', 'x', 'exempted', 'forged', '', ?, zeroblob(32))"
        )
        for row_id, seq in ((first[0], head.seq + 1), (head.seq + 1000, first[1])):
            with pytest.raises(sqlite3.IntegrityError, match="cannot be changed or deleted"):
                conn.execute(replace, (row_id, seq))
    finally:
        conn.close()
    engine = make_engine(committed_url)
    with make_sessionmaker(engine)() as db:
        assert verify_chain(db).head == head
    engine.dispose()


def test_an_edit_a_deletion_and_a_reorder_are_each_found_at_their_seq(committed_url: str) -> None:
    head = _committed_trail(committed_url)
    edits: dict[str, Callable[[AuditEvent], dict[str, Any]]] = {  # row 5: person 3 assigned
        "detail": lambda e: {"detail": e.detail + "."},
        "actor": lambda e: {"actor": "someone else"},
        "time, by a microsecond": lambda e: {"at": e.at + dt.timedelta(microseconds=1)},
        "NULL for an id": lambda e: {"requirement_id": None},
        "another person": lambda e: {"person_id": (e.person_id or 0) - 1},
        "the hash": lambda e: {"hash": bytes(32)},
    }
    for what, change in edits.items():
        with _as_intruder(committed_url) as db:
            event = db.scalars(select(AuditEvent).where(AuditEvent.seq == 5)).one()
            db.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(**change(event)))
            assert _broken(db)[:2] == (5, event.id), what
    with _as_intruder(committed_url) as db:
        db.execute(text("DELETE FROM audit_events WHERE seq = 6"))
        seq, _, problem = _broken(db)
        assert seq == 6 and "missing" in problem
    with _as_intruder(committed_url) as db:
        first, second = _id_at(db, 3), _id_at(db, 8)
        db.execute(update(AuditEvent).where(AuditEvent.id == first).values(seq=-1))
        db.execute(update(AuditEvent).where(AuditEvent.id == second).values(seq=3))
        db.execute(update(AuditEvent).where(AuditEvent.id == first).values(seq=8))
        assert _broken(db)[:2] == (3, second)
    with _as_intruder(committed_url) as db:
        db.execute(text("DELETE FROM audit_events WHERE seq = 1"))
        assert _broken(db)[0] == 1
    with _as_intruder(committed_url) as db:  # untouched: the disarming alone changes nothing
        assert verify_chain(db, expect=head).intact


def test_a_rewritten_or_shortened_chain_is_caught_by_the_recorded_head(committed_url: str) -> None:
    head = _committed_trail(committed_url)
    with _as_intruder(committed_url) as db:
        _rewrite_from(db, seq=4, detail="history, improved")
        assert verify_chain(db).intact  # consistent in itself...
        seq, row_id, problem = _broken(db, expect=head)  # ...but not the chain that was recorded
        assert (seq, row_id) == (head.seq, _id_at(db, head.seq)) and "rewritten" in problem
    with _as_intruder(committed_url) as db:
        db.execute(text(f"DELETE FROM audit_events WHERE seq >= {head.seq - 1}"))
        assert verify_chain(db).intact
        seq, row_id, problem = _broken(db, expect=head)
        assert (seq, row_id) == (head.seq, None) and f"ends at seq {head.seq - 2}" in problem
    with _as_intruder(committed_url) as db:
        earlier = Head(
            head.seq - 3,
            bytes(db.scalars(select(AuditEvent.hash).where(AuditEvent.seq == head.seq - 3)).one()),
        )
        assert verify_chain(db, expect=earlier).intact  # a head recorded earlier is still in the chain


def _rewrite_from(db: Session, *, seq: int, detail: str) -> None:
    """Edit row `seq`, then recompute every hash from there on, as an intruder who knows the format."""
    db.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(detail=detail))
    prev = bytes(db.scalars(select(AuditEvent.hash).where(AuditEvent.seq == seq - 1)).one())
    for e in db.scalars(select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq)).all():
        shared = audit_chain.shared_part(
            at=e.at,
            actor_id=e.actor_id,
            actor=e.actor,
            action=e.action,
            reason=e.reason,
            item_id=e.item_id,
            completion_id=e.completion_id,
        )
        prev = audit_chain.link(prev, e.seq, shared, e.requirement_id, e.person_id, e.assignment_id, e.detail)
        db.execute(update(AuditEvent).where(AuditEvent.id == e.id).values(hash=prev))
    db.expire_all()


def test_audit_verify_prints_the_head_or_the_first_broken_link(committed_url: str) -> None:
    head = _committed_trail(committed_url)
    intact = cli(committed_url, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.strip().splitlines()[-1] == f"head: {head}"
    assert f"intact: {head.seq} rows" in intact.stdout
    assert cli(committed_url, "audit", "verify", "--expect-head", str(head)).returncode == 0
    bad = cli(committed_url, "audit", "verify", "--expect-head", "12:abc")
    assert bad.returncode == 1 and "--expect-head" in bad.stderr

    engine = make_engine(committed_url)
    try:
        with engine.connect() as conn, conn.begin():
            _disarm(conn)
            conn.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(reason="tidied up"))
    finally:
        engine.dispose()
    broken = cli(committed_url, "audit", "verify", "--expect-head", str(head))
    assert broken.returncode == 1
    assert "broken: seq 4 (id" in broken.stderr and "does not match its hash" in broken.stderr
    assert "intact before it: 3 rows" in broken.stderr


# --- concurrency and the migration -----------------------------------------------------------------


def test_concurrent_writers_leave_one_chain_in_commit_order(committed_url: str) -> None:
    engine = make_engine(committed_url)
    factory = make_sessionmaker(engine)
    writers, transactions = 3, 12
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(name: str) -> None:
        try:
            start.wait()
            for n in range(transactions):
                with factory() as db:
                    begin_write(db)  # as every entry point does: SQLite's write lock first; no-op on PG
                    actor = Actor.system(f"{name} {n}")
                    audit.record(db, actor=actor, action=AuditAction.exempted)
                    time.sleep(0.002)  # keep the transaction open while the others write
                    audit.record_batch(db, actor=actor, action=AuditAction.unassigned, rows=_rows(4))
                    audit.record_many(db, [{"at": utcnow(), "actor": actor.label, "action": "completed"}])
                    db.commit()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(f"writer {w}",)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert not failures, failures
        with Session(engine) as db:
            check = verify_chain(db)
            assert check.intact and check.rows == writers * transactions * 6, check.broken
            # Each transaction's rows are consecutive: the chain follows commit order.
            spans = db.execute(
                select(func.min(AuditEvent.seq), func.max(AuditEvent.seq)).group_by(AuditEvent.actor)
            ).all()
            assert all(high - low == 5 for low, high in spans)
    finally:
        engine.dispose()


def _rows(count: int) -> Any:
    """`count` audit rows about nobody, for record_batch."""
    numbers = union_all(*(select(literal(n, Integer).label("n")) for n in range(count))).subquery()
    return select(
        literal(None, Integer), literal(None, Integer), literal(None, Integer), cast(numbers.c.n, String)
    )


def test_the_migration_chains_rows_already_there_and_matches_the_models(committed_url: str) -> None:
    head = _committed_trail(committed_url)
    config = alembic_config(committed_url)
    command.downgrade(config, "0007")
    engine = make_engine(committed_url)
    try:
        with engine.begin() as conn:  # rows written before the chain existed
            conn.execute(
                text(
                    "INSERT INTO audit_events (at, actor, action, detail, reason) "
                    "VALUES (:at, 'old', 'exempted', :odd, '')"
                ),
                [{"at": f"2025-06-0{n} 10:00:00.00000{n}", "odd": ODD} for n in range(1, 4)],
            )
        upgrade(committed_url)
        with Session(engine) as db:
            check = verify_chain(db)
            assert check.intact and check.rows == head.seq + 3, check.broken
            assert verify_chain(db, expect=head).intact  # the same rows chain to the same hashes
            ids = db.scalars(select(AuditEvent.id).order_by(AuditEvent.seq)).all()
            assert ids == sorted(ids)  # chained in id order
            audit.record(db, actor=ADMIN, action=AuditAction.exempted)  # and the chain goes on
            assert verify_chain(db).intact
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
        assert [d for d in differences if "audit_events" in repr(d)] == []
    finally:
        engine.dispose()

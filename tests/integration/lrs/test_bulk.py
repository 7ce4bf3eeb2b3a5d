"""The statements' bulk writer (lrs.bulk): keys handed out before the insert, executemany on SQLite,
COPY on PostgreSQL, with every column (JSON included) as the ORM would have written it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of
from learnbridge.lrs.bulk import insert_rows, next_keys
from learnbridge.lrs.models import Statement, StatementAgent

AT = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def _row(key: int, n: int) -> dict[str, object]:
    return {
        "id": key,
        "statement_id": f"00000000-0000-4000-8000-{n:012d}",
        "stored": AT + dt.timedelta(microseconds=n),
        "timestamp": AT,
        "actor_ifi": "mbox:mailto:a@example.org",
        "verb_id": "http://adlnet.gov/expapi/verbs/experienced",
        "object_type": "Activity",
        "object_activity_id": "https://example.org/a",
        "object_statement_id": None,
        "registration": None,
        "voided": False,
        "version": "1.0.0",
        "client_id": None,
        "full": "{}",
        "attachment_hashes": [f"sha-{n}", "ü"],
    }


def test_keys_follow_the_last_and_rows_arrive_whole(db: Session) -> None:
    table = table_of(Statement)
    last = db.scalar(select(func.max(Statement.id)))
    keys = next_keys(db, table, 3, last=last)
    assert keys == sorted(keys) and len(set(keys)) == 3 and keys[0] > (last or 0)
    assert keys == list(range(keys[0], keys[0] + 3))
    insert_rows(db, table, [_row(key, n) for n, key in enumerate(keys)])
    insert_rows(db, table_of(StatementAgent), [{"statement_pk": keys[0], "agent_ifi": "x", "as_actor": True}])
    stored = db.scalars(select(Statement).where(Statement.id.in_(keys)).order_by(Statement.id)).all()
    assert [s.attachment_hashes for s in stored] == [[f"sha-{n}", "ü"] for n in range(3)]
    assert [s.stored for s in stored] == [AT + dt.timedelta(microseconds=n) for n in range(3)]
    assert stored[0].voided is False and stored[0].object_statement_id is None
    # A row that takes its key from the database's own default comes after the handed-out ones.
    later = db.scalar(
        insert(table).values(**{k: v for k, v in _row(0, 9).items() if k != "id"}).returning(table.c.id)
    )
    assert later is not None and later > keys[-1]


def test_nothing_to_insert_is_a_no_op(db: Session) -> None:
    insert_rows(db, table_of(StatementAgent), [])
    assert next_keys(db, table_of(Statement), 0, last=None) == []

"""Writing a batch of statements' rows the fastest way each database offers, inside the route's
transaction and under the statement writers' lock (lrs.statements).

Keys are handed out before the insert, so no insert has to return them: on SQLite the next integers
after the last statement's key (what SQLite itself would choose), on PostgreSQL the key sequence's next
values, drawn in one query. SQLite then inserts through executemany, which runs one prepared statement
per row in C (the values put in stored form once per column, not by SQLAlchemy's per-row machinery);
PostgreSQL through COPY, which sends the rows as one stream (executemany would make one
round trip per row and a multi-row VALUES one large statement to parse and plan)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import JSON, Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_SEQUENCES: dict[str, str] = {}


def is_postgresql(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def next_keys(db: Session, table: Table, count: int, *, last: int | None) -> list[int]:
    """`count` new keys for `table`'s integer `id`, in increasing order; `last` is the largest key the
    table holds (None when empty). Callers hold the writers' lock, so the keys are contiguous."""
    if not is_postgresql(db):
        start = (last or 0) + 1
        return list(range(start, start + count))
    if table.name not in _SEQUENCES:
        found = db.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
        assert found, f"{table.name}.id has no sequence"
        _SEQUENCES[table.name] = found
    keys = db.scalars(
        text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :count)"),
        {"sequence": _SEQUENCES[table.name], "count": count},
    )
    return sorted(keys)


def _executemany(db: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """One INSERT run for every row by the driver, each value put in the column type's stored form by
    that type's own bind processor: SQLAlchemy's generic executemany spends as long again per row
    working out, for each row, what this does once per column."""
    conn = db.connection()
    columns = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    names, marks = ", ".join(quote(c) for c in columns), ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608 (quoted names)
    # The dialect's form of each type (SQLite's DATETIME text, 0/1 booleans), as SQLAlchemy binds it.
    processors = [table.c[c].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in columns]
    pairs = list(zip(columns, processors, strict=True))
    params = [tuple(p(row[c]) if p else row[c] for c, p in pairs) for row in rows]
    conn.exec_driver_sql(statement, params)


def insert_rows(db: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (every row with the same keys) into `table`."""
    if not rows:
        return
    if not is_postgresql(db):
        _executemany(db, table, rows)
        return
    db.flush()  # COPY goes round the session: what it holds must reach the database first
    columns = list(rows[0])
    as_json = {name for name in columns if isinstance(table.c[name].type, JSON)}
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    raw = db.connection().connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c in as_json else row[c] for c in columns])
    except psycopg.Error as exc:
        # As SQLAlchemy would raise it, so a lock timeout is the same 503 as anywhere else (core.problems).
        raise DBAPIError.instance(f"COPY {table.name}", None, exc, psycopg.Error) from exc

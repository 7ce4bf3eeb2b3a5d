"""No statement query reads a whole table (the issue's storage rule): every query find_statements runs,
for every filter, is planned through an index. On SQLite the plan must not SCAN a statement table; on
PostgreSQL, with sequential scans priced out, it must still not need one (a Seq Scan left in the plan means
no index could answer it)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from learnbridge.lrs.clients import create_client
from learnbridge.lrs.query import StatementQuery, find_statements
from learnbridge.lrs.statements import receive_statements

A = "http://example.com/plans/activity"
PARENT = "http://example.com/plans/course"
ME = "mbox:mailto:plan@example.com"
TEACHER = "mbox:mailto:teacher@example.com"
VERB = "http://adlnet.gov/expapi/verbs/completed"
SINCE, UNTIL = "2020-01-01T00:00:00Z", "2100-01-01T00:00:00Z"
TABLES = ("xapi_statements", "xapi_statement_agents", "xapi_statement_activities")


def _statement(n: int) -> dict[str, Any]:
    return {
        "actor": {"mbox": "mailto:plan@example.com"},
        "verb": {"id": VERB},
        "object": {"id": f"{A}/{n % 3}"},
        "context": {
            "registration": str(uuid.uuid4()),
            "instructor": {"mbox": "mailto:teacher@example.com"},
            "contextActivities": {"parent": [{"id": PARENT}]},
        },
    }


QUERIES = {
    "agent": StatementQuery(agent=ME),
    "verb": StatementQuery(verb=VERB),
    "activity": StatementQuery(activity=f"{A}/1"),
    "registration": StatementQuery(registration=str(uuid.uuid4())),
    "related_activities": StatementQuery(activity=PARENT, related_activities=True),
    "related_agents": StatementQuery(agent=TEACHER, related_agents=True),
    "since/until": StatementQuery(since=SINCE, until=UNTIL),
    "agent+verb+activity": StatementQuery(agent=ME, verb=VERB, activity=f"{A}/1", ascending=True),
    "everything, paged": StatementQuery(
        agent=TEACHER, related_agents=True, activity=PARENT, related_activities=True, since=SINCE, after=3
    ),
    "no filter": StatementQuery(limit=5),
}


@pytest.fixture
def stored(db: Session) -> Session:
    client, _ = create_client(db, name="plans", home_page="http://testserver")
    statements = [_statement(n) for n in range(12)]
    [first, *_] = receive_statements(
        db, document=statements, attachments={}, client=client, version="1.0.3", put_id=None
    )
    void = {"actor": {"mbox": "mailto:plan@example.com"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": first}}  # fmt: skip
    receive_statements(db, document=void, attachments={}, client=client, version="1.0.3", put_id=None)
    db.flush()
    _statistics(db)
    return db


# SQLite's statistics for a store of a million statements (bench/lrs.py's shape: 20,000 people, 8 verbs,
# 5,000 activities, no references), so the plans checked are the ones made at that size. Without them
# SQLite prefers any index; with them it once scanned the table for the StatementRef rule.
MILLION = [
    # The index tables are WITHOUT ROWID: their key (activity or agent first) is their only index.
    ("xapi_statement_activities", "sqlite_autoindex_xapi_statement_activities_1", "2000000 385 1"),
    ("xapi_statement_agents", "sqlite_autoindex_xapi_statement_agents_1", "3000000 150 1 1"),
    ("xapi_statements", "ix_xapi_statements_activity", "1000000 200 1"),
    ("xapi_statements", "ix_xapi_statements_actor", "1000000 50 1"),
    ("xapi_statements", "ix_xapi_statements_registration", "1000000 20 1"),
    ("xapi_statements", "ix_xapi_statements_stored", "1000000 1"),
    ("xapi_statements", "ix_xapi_statements_verb", "1000000 125000 1"),
    ("xapi_statements", "ix_xapi_statements_voided", "1000000 1000000 1"),
    ("xapi_statements", "sqlite_autoindex_xapi_statements_1", "1000000 1"),
]


def _statistics(db: Session) -> None:
    connection = db.connection()
    if connection.dialect.name != "sqlite":
        for table in TABLES:
            connection.exec_driver_sql(f"ANALYZE {table}")
        return
    connection.exec_driver_sql("ANALYZE")
    connection.exec_driver_sql(f"DELETE FROM sqlite_stat1 WHERE tbl IN {TABLES}")
    connection.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", MILLION)
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # reloads the statistics


def _captured(db: Session, query: StatementQuery) -> Iterator[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        find_statements(db, query=query)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return iter(seen)


def _full_scans(db: Session, statement: str, parameters: Any) -> list[str]:
    connection = db.connection()
    if connection.dialect.name == "sqlite":
        plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        return [line for line in plan if re.match(rf"SCAN ({'|'.join(TABLES)})\b", line)]
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    plan = [row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters)]
    return [line for line in plan if re.search(rf"Seq Scan on ({'|'.join(TABLES)})\b", line)]


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_statement_query_is_answered_from_an_index(stored: Session, name: str) -> None:
    queries = list(_captured(stored, QUERIES[name]))
    assert queries, "find_statements ran no query"
    for statement, parameters in queries:
        assert _full_scans(stored, statement, parameters) == [], statement


def test_the_checker_sees_a_full_scan(stored: Session) -> None:
    """The check above can fail: an unindexed condition is reported."""
    connection = stored.connection()
    if connection.dialect.name == "sqlite":
        assert _full_scans(stored, "SELECT id FROM xapi_statements WHERE version = ?", ("1.0.0",))
    else:
        assert _full_scans(stored, "SELECT id FROM xapi_statements WHERE version = %(v)s", {"v": "1.0.0"})

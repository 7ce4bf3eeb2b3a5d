"""The LRS as its store grows: POST throughput in 100-statement batches through the statement service
(validate, store, commit) beside a floor (the same rows, statements plus their agent and activity index
rows, through one executemany per table), per band of the store's size; then GET latency for each filter
at the final size. The size is LEARNBRIDGE_BENCH_LRS_SIZE (default 1,000,000); between the measured
batches each band is filled through the floor's path, so reaching a large size stays affordable."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bench.common import backends, console, fresh_database, median, percentile, settle, table
from learnbridge.core.db import make_engine, table_of, utcnow
from learnbridge.lrs.clients import create_client
from learnbridge.lrs.format import activities_in, agents_in, ifi_of
from learnbridge.lrs.models import LrsClient, Statement, StatementActivity, StatementAgent
from learnbridge.lrs.query import StatementQuery, find_statements
from learnbridge.lrs.statements import WRITERS_LOCK, receive_statements
from learnbridge.lrs.validate import validate_statement

SIZE = int(os.environ.get("LEARNBRIDGE_BENCH_LRS_SIZE", "1000000"))
BANDS = 10
BATCH = 100
MEASURED_BATCHES = int(os.environ.get("LEARNBRIDGE_BENCH_LRS_BATCHES", "20"))  # per band and path
FILL_CHUNK = 5_000
QUERIES = 40  # per filter
TARGET_FLOOR_RATIO = 3.0
TARGET_P95_MS = 20.0
VERSION = "1.0.3"
HOME = "https://bench.example.org"
VERBS = [
    f"http://adlnet.gov/expapi/verbs/{v}"
    for v in (
        "completed",
        "passed",
        "failed",
        "attempted",
        "experienced",
        "answered",
        "launched",
        "progressed",
    )
]
PEOPLE, ACTIVITIES, COURSES, INSTRUCTORS, REGISTRATIONS = 20_000, 5_000, 200, 100, 50_000


@dataclass
class Band:
    upto: int
    service: list[float] = field(default_factory=list)  # statements/s per batch
    floor: list[float] = field(default_factory=list)


@dataclass
class BackendResult:
    backend: str
    bands: list[Band] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    size: int = 0


class Generator:
    """Statements spread over people, verbs, activities, courses (parents), instructors, registrations."""

    def __init__(self, seed: int = 7) -> None:
        self.rnd = random.Random(seed)
        self.registrations = [
            str(uuid.UUID(int=self.rnd.getrandbits(128), version=4)) for _ in range(REGISTRATIONS)
        ]

    def statement(self) -> dict[str, Any]:
        r = self.rnd
        verb = r.choice(VERBS)
        data: dict[str, Any] = {
            "id": str(uuid.UUID(int=r.getrandbits(128), version=4)),
            "actor": {"objectType": "Agent", "mbox": f"mailto:p{r.randrange(PEOPLE)}@bench.example.org"},
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": {"objectType": "Activity", "id": f"{HOME}/activities/{r.randrange(ACTIVITIES)}"},
            "context": {
                "registration": r.choice(self.registrations),
                "instructor": {"mbox": f"mailto:i{r.randrange(INSTRUCTORS)}@bench.example.org"},
                "contextActivities": {"parent": [{"id": f"{HOME}/courses/{r.randrange(COURSES)}"}]},
            },
            "timestamp": "2026-11-30T12:00:00.000Z",
        }
        if verb.endswith(("passed", "failed")):
            data["result"] = {"success": verb.endswith("passed"), "score": {"scaled": round(r.random(), 2)}}
        return data

    def batch(self, n: int = BATCH) -> list[dict[str, Any]]:
        return [validate_statement(self.statement(), version=VERSION) for _ in range(n)]


def _floor_rows(
    statements: list[dict[str, Any]], first_pk: int, client: LrsClient, stored: dt.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows the service writes for these statements, with the LRS-set properties filled in."""
    rows, agents, activities = [], [], []
    for n, s in enumerate(statements):
        pk, at = first_pk + n, stored + dt.timedelta(microseconds=n)
        full = s | {"stored": at.isoformat(), "authority": client.authority, "version": "1.0.0"}
        rows.append(
            {
                "id": pk,
                "statement_id": s["id"],
                "stored": at,
                "timestamp": at,
                "actor_ifi": ifi_of(s["actor"]),
                "verb_id": s["verb"]["id"],
                "object_type": "Activity",
                "object_activity_id": s["object"]["id"],
                "object_statement_id": None,
                "registration": s["context"]["registration"],
                "voided": False,
                "version": "1.0.0",
                "client_id": client.id,
                "full": json.dumps(full, separators=(",", ":")),
                "attachment_hashes": [],
            }
        )
        agents += [{"statement_pk": pk, "agent_ifi": i, "as_actor": a} for i, a in agents_in(full) if i]
        activities += [{"statement_pk": pk, "activity_id": a, "is_object": o} for a, o in activities_in(full)]
    return rows, _known(StatementAgent, agents), _known(StatementActivity, activities)


def _known(model: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the columns the table has (the index tables' flags may differ between versions)."""
    columns = set(table_of(model).c.keys())
    return [{k: v for k, v in row.items() if k in columns} for row in rows]


def _floor(conn: Connection, gen: Generator, client: LrsClient, n: int) -> float:
    """Insert n statements through executemany (one transaction); returns the seconds taken."""
    statements = gen.batch(n)
    if conn.dialect.name == "postgresql":
        # Queue with the app's statement writers (its job worker writes platform statements too), and
        # move the key sequence past these keys before the lock is released.
        conn.execute(select(func.pg_advisory_xact_lock(WRITERS_LOCK)))
    first = (conn.execute(select(func.max(Statement.id))).scalar() or 0) + 1
    last = conn.execute(select(func.max(Statement.stored))).scalar()
    stored = max(utcnow(), last + dt.timedelta(microseconds=1)) if last else utcnow()
    rows, agents, activities = _floor_rows(statements, first, client, stored)
    start = time.perf_counter()
    conn.execute(insert(table_of(Statement)), rows)
    conn.execute(insert(table_of(StatementAgent)), agents)
    conn.execute(insert(table_of(StatementActivity)), activities)
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('xapi_statements', 'id'), :last)"), {"last": first + n}
        )
    conn.commit()
    return time.perf_counter() - start


def _sync_sequence(conn: Connection) -> None:
    """The floor sets keys itself; the service's inserts must continue after them on PostgreSQL. Queued
    with the app's writers and never backwards: the app's job worker may hold keys it has not committed
    yet (platform statements), and a sequence moved back below them would hand them out again."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(WRITERS_LOCK)))
        sequence = conn.execute(text("SELECT pg_get_serial_sequence('xapi_statements', 'id')")).scalar()
        conn.execute(
            text(
                "SELECT setval(CAST(:sequence AS regclass), GREATEST("
                f"(SELECT max(id) FROM xapi_statements), (SELECT last_value FROM {sequence})))"
            ),
            {"sequence": sequence},
        )
        conn.commit()


def _service(db: Session, gen: Generator, client: LrsClient) -> float:
    """One POST's work past HTTP parsing: validate 100 statements, store them, commit; the seconds taken."""
    raw = [gen.statement() for _ in range(BATCH)]
    start = time.perf_counter()
    receive_statements(db, document=raw, attachments={}, client=client, version=VERSION, put_id=None)
    db.commit()
    return time.perf_counter() - start


def _grow(url: str, result: BackendResult) -> None:
    engine = make_engine(url)
    gen = Generator()
    with Session(engine, expire_on_commit=False) as db, engine.connect() as conn:
        client, _ = create_client(db, name="bench", home_page=HOME)
        db.commit()
        count = 0
        for band_no in range(1, BANDS + 1):
            band = Band(upto=SIZE * band_no // BANDS)
            for _ in range(MEASURED_BATCHES):
                band.floor.append(BATCH / _floor(conn, gen, client, BATCH))
                _sync_sequence(conn)
                band.service.append(BATCH / _service(db, gen, client))
            count += 2 * BATCH * MEASURED_BATCHES
            while count < band.upto:
                chunk = min(FILL_CHUNK, band.upto - count)
                _floor(conn, gen, client, chunk)
                count += chunk
            _sync_sequence(conn)
            result.bands.append(band)
            console.print(
                f"  {result.backend}: {count:,} statements, band {band_no}/{BANDS}: "
                f"service {median(band.service):,.0f}/s, floor {median(band.floor):,.0f}/s"
            )
        result.size = count
    engine.dispose()


def _queries(
    gen: Generator, stored_range: tuple[dt.datetime, dt.datetime]
) -> dict[str, list[StatementQuery]]:
    """Queries for values the store holds: the registrations are the filling generator's (seed 7)."""
    r, (first, last) = gen.rnd, stored_range
    registrations = Generator().registrations
    person = lambda: f"mbox:mailto:p{r.randrange(PEOPLE)}@bench.example.org"  # noqa: E731

    def window() -> tuple[str, str]:
        start = first + (last - first) * r.random()
        return start.isoformat(), (start + dt.timedelta(seconds=1)).isoformat()

    return {
        "agent": [StatementQuery(agent=person(), limit=100) for _ in range(QUERIES)],
        "verb": [StatementQuery(verb=r.choice(VERBS), limit=100) for _ in range(QUERIES)],
        "activity": [
            StatementQuery(activity=f"{HOME}/activities/{r.randrange(ACTIVITIES)}", limit=100)
            for _ in range(QUERIES)
        ],
        "registration": [
            StatementQuery(registration=r.choice(registrations), limit=100) for _ in range(QUERIES)
        ],
        "related_activities": [
            StatementQuery(
                activity=f"{HOME}/courses/{r.randrange(COURSES)}", related_activities=True, limit=100
            )
            for _ in range(QUERIES)
        ],
        "related_agents": [
            StatementQuery(
                agent=f"mbox:mailto:i{r.randrange(INSTRUCTORS)}@bench.example.org",
                related_agents=True,
                limit=100,
            )
            for _ in range(QUERIES)
        ],
        "since/until": [
            StatementQuery(since=s, until=u, limit=100) for s, u in (window() for _ in range(QUERIES))
        ],
        "limit": [StatementQuery(limit=10) for _ in range(QUERIES)],
    }


def _latencies(url: str, result: BackendResult) -> None:
    engine = make_engine(url)
    with Session(engine) as db:
        first = db.scalar(select(func.min(Statement.stored)))
        last = db.scalar(select(func.max(Statement.stored)))
        assert first is not None
        assert last is not None
        for name, queries in _queries(Generator(seed=11), (first, last)).items():
            samples = []
            for query in queries:
                start = time.perf_counter()
                find_statements(db, query=query)
                samples.append(time.perf_counter() - start)
            result.latencies[name] = samples
    engine.dispose()


def run() -> list[BackendResult]:
    out = []
    for backend in backends():
        result = BackendResult(backend)
        with fresh_database(backend) as url:
            _grow(url, result)
            settle(backend, url)
            _latencies(url, result)
        out.append(result)
    return out


def latency_rows(results: list[tuple[str, dict[str, list[float]]]]) -> list[list[str]]:
    """Per backend and filter: p50, p95 and the verdict against TARGET_P95_MS (seconds in, ms out)."""
    rows = []
    for backend, latencies in results:
        for name, samples in latencies.items():
            p95 = percentile(samples, 95) * 1000
            p50 = f"{percentile(samples, 50) * 1000:.1f} ms"
            rows.append([backend, name, p50, f"{p95:.1f} ms", "ok" if p95 < TARGET_P95_MS else "SLOW"])
    return rows


def render(out: list[BackendResult]) -> None:
    rows = []
    for r in out:
        for band in r.bands:
            service, floor = median(band.service), median(band.floor)
            ok = floor / service <= TARGET_FLOOR_RATIO
            rows.append(
                [
                    r.backend,
                    f"up to {band.upto:,}",
                    f"{service:,.0f}/s",
                    f"{floor:,.0f}/s",
                    f"{floor / service:.1f}x",
                    "ok" if ok else "SLOW",
                ]
            )
    console.print(
        table(
            f"LRS POST: statements/s in {BATCH}-statement batches as the store grows (median of "
            f"{MEASURED_BATCHES} batches per band; floor = same rows via executemany; target "
            f"within {TARGET_FLOOR_RATIO:.0f}x)",
            ["backend", "store size", "service", "floor", "floor/service", "verdict"],
            rows,
        )
    )
    rows = latency_rows([(r.backend, r.latencies) for r in out])
    size = out[0].size if out else SIZE
    console.print(
        table(
            f"LRS GET at {size:,} statements: latency per filter ({QUERIES} queries each, limit 100 "
            f"unless the filter is limit=10; target p95 < {TARGET_P95_MS:.0f} ms)",
            ["backend", "filter", "p50", "p95", "verdict"],
            rows,
        )
    )

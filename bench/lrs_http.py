"""The LRS through HTTP, as a client uses it: the app served by uvicorn in its own process as `make run`
serves it (demo organisation loaded, its job worker in the same process turning statements into
completions), a client in this process posting batches of 100 realistic
statements (actor mbox, verb, activity, context with registration, instructor and parent, result with a
score) as the store grows in bands up to LEARNBRIDGE_BENCH_LRS_SIZE (default 1,000,000), beside the floor
(the same rows through one executemany per table) measured in the same run. Between the measured batches
each band is filled through the floor's path, so reaching a large size stays affordable. At the final size:
8 clients posting at once (their total rate beside the single client's, with nothing lost and `stored`
order intact), then GET with each filter through HTTP.

Targets (issue 14): on SQLite >= 6,000 statements/s while the store is under 100,000 and never below a
third of the floor; on PostgreSQL >= 8,000/s; GET p95 < 20 ms per filter at the final size. SQLite's GET
figures are taken as the app finds them: its planner statistics are the app's own upkeep
(core.sqlite_upkeep), no ANALYZE here. PostgreSQL's are autovacuum's, so on a server running without
autovacuum (this machine's test server) the bench runs VACUUM ANALYZE before the GETs, as autovacuum would
have during the load."""

from __future__ import annotations

import base64
import http.client
import json
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bench.common import backends, console, fresh_database, median, settle, table
from bench.lrs import (
    BANDS,
    BATCH,
    FILL_CHUNK,
    HOME,
    MEASURED_BATCHES,
    SIZE,
    TARGET_P95_MS,
    Generator,
    _floor,
    _queries,
    _sync_sequence,
    latency_rows,
)
from bench.served import served
from learnbridge.core.db import make_engine
from learnbridge.demo.loader import load_demo
from learnbridge.lrs.clients import create_client
from learnbridge.lrs.models import LrsClient, Statement
from learnbridge.lrs.query import StatementQuery

CLIENTS = 8
CONCURRENT_BATCHES = 10  # per client
EARLY = 100_000
TARGET_EARLY = {"sqlite": 6000.0, "postgresql": 8000.0}
TARGET_FLOOR_SHARE = 1 / 3


@dataclass
class Band:
    upto: int
    http: list[float] = field(default_factory=list)  # statements/s per batch
    floor: list[float] = field(default_factory=list)


@dataclass
class Result:
    backend: str
    bands: list[Band] = field(default_factory=list)
    single: float = 0.0
    concurrent: float = 0.0
    lost: int = 0
    out_of_order: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    size: int = 0


class Poster:
    """One keep-alive connection to the served LRS with a client's Basic credentials."""

    def __init__(self, port: int, auth: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}

    def post(self, statements: list[dict[str, Any]]) -> float:
        body = json.dumps(statements).encode()
        return self._send("POST", "/xapi/statements", body, {"Content-Type": "application/json"})

    def get(self, query: StatementQuery) -> float:
        return self._send("GET", "/xapi/statements?" + _params(query), None, {})

    def _send(self, method: str, path: str, body: bytes | None, extra: dict[str, str]) -> float:
        """One request and its whole answer, timed; anything but 200 stops the bench."""
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=self.headers | extra)
        response = self.conn.getresponse()
        content = response.read()
        took = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{method} answered {response.status}: {content[:300]!r}")
        return took


def _params(query: StatementQuery) -> str:
    params: dict[str, str] = {"limit": str(query.limit)}
    if query.agent:
        params["agent"] = json.dumps({"mbox": query.agent.removeprefix("mbox:")})
    for name in ("verb", "activity", "registration", "since", "until"):
        if value := getattr(query, name):
            params[name] = value
    if query.related_activities:
        params["related_activities"] = "true"
    if query.related_agents:
        params["related_agents"] = "true"
    return urllib.parse.urlencode(params)


def _count(url: str) -> tuple[int, int]:
    """Statements stored, and how many were stored no later than the one before them (should be 0)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Statement)).scalar() or 0
        disorder = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT stored, lag(stored) OVER (ORDER BY id) AS before "
                "FROM xapi_statements) AS s WHERE before IS NOT NULL AND stored <= before"
            )
        ).scalar()
    engine.dispose()
    return total, int(disorder or 0)


def _grow(url: str, port: int, auth: str, result: Result) -> None:
    engine = make_engine(url)
    gen = Generator()
    # The floor's transactions take SQLite's write lock at once, as the app's writers do: the served app's
    # job worker commits between them, and a transaction that read first could not write after that.
    immediate = {"learnbridge_begin_immediate": True}
    with (
        Session(engine, expire_on_commit=False) as db,
        engine.connect().execution_options(**immediate) as conn,
    ):
        lrs_client = _bench_client(db)
        count = 0
        for band_no in range(1, BANDS + 1):
            band = Band(upto=SIZE * band_no // BANDS)
            # A fresh connection per band: the server closes one left idle while the band was filled.
            poster = Poster(port, auth)
            for _ in range(MEASURED_BATCHES):
                band.floor.append(BATCH / _floor(conn, gen, lrs_client, BATCH))
                _sync_sequence(conn)
                band.http.append(BATCH / poster.post([gen.statement() for _ in range(BATCH)]))
            count += 2 * BATCH * MEASURED_BATCHES
            while count < band.upto:
                chunk = min(FILL_CHUNK, band.upto - count)
                _floor(conn, gen, lrs_client, chunk)
                count += chunk
            _sync_sequence(conn)
            result.bands.append(band)
            console.print(
                f"  {result.backend}: {count:,} statements, band {band_no}/{BANDS}: "
                f"HTTP {median(band.http):,.0f}/s, floor {median(band.floor):,.0f}/s"
            )
        result.size = count
        result.single = median(result.bands[-1].http)
    engine.dispose()


def _bench_client(db: Session) -> LrsClient:
    found = db.scalar(select(LrsClient).where(LrsClient.name == "bench"))
    assert found is not None
    return found


def _concurrent(url: str, port: int, auth: str, result: Result) -> None:
    before, _ = _count(url)
    generators = [Generator(seed=100 + n) for n in range(CLIENTS)]
    batches = [[g.statement() for _ in range(BATCH * CONCURRENT_BATCHES)] for g in generators]
    errors: list[str] = []

    def send(statements: list[dict[str, Any]]) -> None:
        poster = Poster(port, auth)
        try:
            for start in range(0, len(statements), BATCH):
                poster.post(statements[start : start + BATCH])
        except RuntimeError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=send, args=(b,)) for b in batches]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    sent = CLIENTS * CONCURRENT_BATCHES * BATCH
    after, disorder = _count(url)
    result.concurrent = sent / wall
    result.lost = sent - (after - before) + len(errors)
    result.out_of_order = disorder


def _latencies(url: str, port: int, auth: str, result: Result) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        first = conn.execute(select(func.min(Statement.stored))).scalar()
        last = conn.execute(select(func.max(Statement.stored))).scalar()
    engine.dispose()
    assert first is not None
    assert last is not None
    poster = Poster(port, auth)
    for name, queries in _queries(Generator(seed=11), (first, last)).items():
        result.latencies[name] = [poster.get(query) for query in queries]


def _autovacuum(url: str) -> bool:
    engine = make_engine(url)
    with engine.connect() as conn:
        on = conn.exec_driver_sql("SHOW autovacuum").scalar() == "on"
    engine.dispose()
    return on


def one_backend(backend: str) -> Result:
    result = Result(backend)
    with fresh_database(backend) as url, tempfile.TemporaryDirectory() as var:
        engine = make_engine(url)
        with Session(engine) as db:
            load_demo(db)
            client, secret = create_client(db, name="bench", home_page=HOME)
            db.commit()
            auth = "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()
        engine.dispose()
        with served(url, Path(var), jobs_in_process=True) as port:
            _grow(url, port, auth, result)
            _concurrent(url, port, auth, result)
            if backend == "postgresql" and not _autovacuum(url):
                # What autovacuum would have done during the load, on a server that runs without it (as
                # this test server does). SQLite gets nothing here: the app keeps its statistics itself.
                settle(backend, url)
            _latencies(url, port, auth, result)
    return result


def run() -> list[Result]:
    out = []
    for backend in backends():
        console.print(f"  {backend}: LRS through HTTP up to {SIZE:,} statements")
        out.append(one_backend(backend))
    return out


def render(out: list[Result]) -> None:
    rows = []
    for r in out:
        for band in r.bands:
            rate, floor = median(band.http), median(band.floor)
            early = band.upto <= EARLY and r.backend in TARGET_EARLY
            ok = rate >= floor * TARGET_FLOOR_SHARE and (not early or rate >= TARGET_EARLY[r.backend])
            if r.backend == "postgresql":
                ok = rate >= TARGET_EARLY["postgresql"]
            rows.append(
                [
                    r.backend,
                    f"up to {band.upto:,}",
                    f"{rate:,.0f}/s",
                    f"{floor:,.0f}/s",
                    f"{rate / floor:.0%}",
                    "ok" if ok else "SLOW",
                ]
            )
    console.print(
        table(
            f"LRS POST through HTTP: statements/s in {BATCH}-statement batches as the store grows "
            f"(median of {MEASURED_BATCHES} batches per band; floor = same rows via executemany; targets: "
            "SQLite >= 6,000/s under 100,000 and >= a third of the floor, PostgreSQL >= 8,000/s)",
            ["backend", "store size", "HTTP", "floor", "HTTP/floor", "verdict"],
            rows,
        )
    )
    console.print(
        table(
            f"LRS POST through HTTP, {CLIENTS} clients at once at the final size "
            f"({CONCURRENT_BATCHES} batches each)",
            ["backend", "one client", f"{CLIENTS} at once", "lost", "stored out of order", "verdict"],
            [
                [
                    r.backend,
                    f"{r.single:,.0f}/s",
                    f"{r.concurrent:,.0f}/s",
                    str(r.lost),
                    str(r.out_of_order),
                    "ok" if r.concurrent >= r.single and not r.lost and not r.out_of_order else "SLOW",
                ]
                for r in out
            ],
        )
    )
    rows = latency_rows([(r.backend, r.latencies) for r in out])
    size = out[0].size if out else SIZE
    console.print(
        table(
            f"LRS GET through HTTP at {size:,} statements, per filter (target p95 < {TARGET_P95_MS:.0f} ms)",
            ["backend", "filter", "p50", "p95", "verdict"],
            rows,
        )
    )

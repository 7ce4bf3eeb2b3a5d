"""SCORM commit round trip: the app under uvicorn in its own process; learners with an attempt at a
SCORM 2004 package commit a typical 4 KB CMI (scorm-again's JSON) to
`POST /api/v1/attempts/{id}/scos/{sco}/runtime?session=...`, as the player's autocommit does.

The app runs as `learnbridge serve` runs it, one uvicorn process per core (LEARNBRIDGE_BENCH_WORKERS sets
another count). Measured per run: one
learner committing back to back (latency p50/p95, commits/s), then CLIENTS learners at once
(commits/s, and their p95); beside it, the floor: the same 4 KB JSON written by a bare UPDATE of the
SCO's row, one transaction per commit, through the same database engine settings. Targets on SQLite:
p95 < 30 ms and >= 500 commits/s."""

from __future__ import annotations

import json
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from bench.common import backends, console, fresh_database, median, percentile, table
from bench.served import Client, served
from learnbridge.accounts.service import create_account, create_token
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.content.models import ContentKind, ScoState
from learnbridge.content.service import add_version, start_attempt
from learnbridge.core.db import make_engine, table_of, utcnow
from learnbridge.people.models import Person

RUNS = 3
SEQUENTIAL = 300
CLIENTS = 4
PER_CLIENT = 200
WARMUP = 30
SCO = "sco-1"
TARGET_P95_MS = 30.0
TARGET_PER_S = 500.0


def cmi(n: int) -> dict[str, Any]:
    """A typical SCORM 2004 commit of about 4 KB: status, location, score, time, ten interactions and
    suspend data filling the rest, different on every commit."""
    interactions = {
        str(i): {
            "id": f"q{i}",
            "type": "choice",
            "timestamp": "2026-12-01T10:00:00",
            "correct_responses": {"0": {"pattern": "b"}},
            "learner_response": "b" if i % 3 else "c",
            "result": "correct" if i % 3 else "incorrect",
            "latency": "PT12S",
            "description": f"Question {i}",
        }
        for i in range(10)
    }
    body: dict[str, Any] = {
        "completion_status": "incomplete",
        "success_status": "unknown",
        "exit": "suspend",
        "entry": "resume",
        "location": f"page-{n % 40}",
        "progress_measure": "0.5",
        "score": {"scaled": "0.7", "raw": "70", "min": "0", "max": "100"},
        "session_time": f"PT{n % 3600}S",
        "interactions": interactions,
        "suspend_data": "",
    }
    size = len(json.dumps({"cmi": body}))
    body["suspend_data"] = (f"{n:08d}" + "x" * 4096)[: max(0, 4096 - size)]
    return {"cmi": body}


@dataclass
class Learner:
    token: str
    attempt_id: int


@dataclass
class RunResult:
    sequential: list[float] = field(default_factory=list)
    concurrent: list[float] = field(default_factory=list)
    concurrent_wall: float = 0.0
    floor: list[float] = field(default_factory=list)
    floor_wall: float = 0.0
    errors: list[str] = field(default_factory=list)


def prepare(url: str, learners: int) -> list[Learner]:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            item = LearningItem(title="SCORM bench", status=ItemStatus.published.value, objectives=["x"])
            db.add(item)
            db.flush()
            spec = {
                "items": [{"id": SCO, "title": "Module", "href": "index.html", "type": "sco", "depth": 0}]
            }
            version = add_version(db, item_id=item.id, kind=ContentKind.scorm2004, spec=spec)
            found = []
            for n in range(learners):
                person = Person(external_id=f"B{n:05d}", name=f"Bencher {n}", email=f"bench{n}@example.org")
                db.add(person)
                db.flush()
                # Linked to the person by its e-mail address; a token, not a password, signs it in.
                account = create_account(db, email=person.email or "", password=None)
                attempt = start_attempt(db, person_id=person.id, item=item, version=version)
                found.append(Learner(create_token(db, email=account.email), attempt.id))
            db.commit()
            return found
    finally:
        engine.dispose()


def _commit_loop(port: int, learner: Learner, count: int, samples: list[float], errors: list[str]) -> None:
    client = Client(port, token=learner.token)
    base = f"/api/v1/attempts/{learner.attempt_id}/scos/{SCO}/runtime"
    status, body = client.request("GET", base)
    if status != 200:
        errors.append(f"launch answered {status}: {body[:200]!r}")
        return
    path = f"{base}?session={json.loads(body)['session']}"
    payloads = [json.dumps(cmi(n)) for n in range(count)]
    for payload in payloads:
        started = time.perf_counter()
        client.conn.request(
            "POST", path, body=payload, headers=client.headers | {"Content-Type": "application/json"}
        )
        response = client.conn.getresponse()
        response.read()
        samples.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(f"commit answered {response.status}")
            break
    client.close()


def _concurrent(port: int, learners: list[Learner], result: RunResult) -> None:
    samples: list[list[float]] = [[] for _ in learners]
    threads = [
        threading.Thread(target=_commit_loop, args=(port, learner, PER_CLIENT, samples[i], result.errors))
        for i, learner in enumerate(learners)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.concurrent_wall = time.perf_counter() - began
    result.concurrent = [s for per in samples for s in per]


def _floor(url: str, attempt_id: int, result: RunResult) -> None:
    """The same JSON, a bare UPDATE of one SCO row per transaction (the first commit's INSERT once)."""
    engine = make_engine(url)
    states = table_of(ScoState)
    with engine.connect() as conn:
        row = conn.execute(
            insert(states)
            .values(attempt_id=attempt_id, sco_id="floor", cmi={}, commits=0)
            .returning(states.c.id)
        ).scalar_one()
        conn.commit()
        payloads = [cmi(n) for n in range(SEQUENTIAL)]
        began = time.perf_counter()
        for payload in payloads:
            started = time.perf_counter()
            conn.execute(
                update(states)
                .where(states.c.id == row)
                .values(cmi=payload, commits=states.c.commits + 1, updated_at=utcnow())
            )
            conn.commit()
            result.floor.append(time.perf_counter() - started)
        result.floor_wall = time.perf_counter() - began
    engine.dispose()


def one_run(backend: str) -> RunResult:
    result = RunResult()
    with fresh_database(backend) as url, tempfile.TemporaryDirectory() as var:
        learners = prepare(url, 1 + CLIENTS)
        with served(url, Path(var)) as port:
            _commit_loop(port, learners[0], WARMUP, [], result.errors)
            _commit_loop(port, learners[0], SEQUENTIAL, result.sequential, result.errors)
            _concurrent(port, learners[1:], result)
        _floor(url, learners[0].attempt_id, result)
    return result


def run() -> dict[str, list[RunResult]]:
    out: dict[str, list[RunResult]] = {}
    for backend in backends():
        out[backend] = []
        for n in range(RUNS):
            console.print(f"  {backend}: SCORM commits, run {n + 1}/{RUNS}")
            out[backend].append(one_run(backend))
    return out


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def render(out: dict[str, list[RunResult]]) -> None:
    rows = []
    for backend, results in out.items():
        p50 = median([percentile(r.sequential, 50) for r in results if r.sequential] or [0])
        p95 = median([percentile(r.sequential, 95) for r in results if r.sequential] or [0])
        cp95 = median([percentile(r.concurrent, 95) for r in results if r.concurrent] or [0])
        one = median([len(r.sequential) / sum(r.sequential) for r in results if r.sequential] or [0])
        rate = median([len(r.concurrent) / r.concurrent_wall for r in results if r.concurrent_wall] or [0])
        floor50 = median([percentile(r.floor, 50) for r in results])
        floor95 = median([percentile(r.floor, 95) for r in results])
        floor_rate = median([len(r.floor) / r.floor_wall for r in results])
        ok = p95 * 1000 < TARGET_P95_MS and max(one, rate) >= TARGET_PER_S
        verdict = "ok" if ok else "SLOW" if backend == "sqlite" else "(target is SQLite's)"
        rows.append(
            [
                *[backend, _ms(p50), _ms(p95), f"{one:,.0f}/s", f"{rate:,.0f}/s", _ms(cp95)],
                *[_ms(floor50), _ms(floor95), f"{floor_rate:,.0f}/s", verdict],
            ]
        )
    console.print(
        table(
            f"SCORM commit round trip through HTTP (uvicorn process; 4 KB CMI; median of {RUNS} runs): one "
            f"learner {SEQUENTIAL} commits back to back, then {CLIENTS} learners x {PER_CLIENT} at once; "
            f"floor = bare UPDATE of the same JSON per transaction; targets p95 < {TARGET_P95_MS:.0f} ms, "
            f">= {TARGET_PER_S:.0f}/s on SQLite",
            [
                *["backend", "p50", "p95", "commits/s (1)", f"commits/s ({CLIENTS} at once)", "p95 at once"],
                *["floor p50", "floor p95", "floor/s", "verdict"],
            ],
            rows,
        )
    )
    for backend, results in out.items():
        for error in sorted({e for r in results for e in r.errors})[:5]:
            console.print(f"  {backend}: {error}")

"""Learners' progress on one item's page through HTTP: 1,000 learners with attempts at the item (every
status, scores, time spent; some with several attempts), half of them also assigned it and some with
a completion, read by an L&D admin signed in through the form, from the app under uvicorn in its own
process. Measured: the first page, a status filter and the CSV of all 1,000. Target: page p95 < 200 ms."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.common import backends, console, fresh_database, median, percentile, settle, table
from bench.served import PASSWORD, Client, served
from learnbridge.accounts.service import create_account
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.content.models import Attempt, ContentKind
from learnbridge.content.service import add_version
from learnbridge.core.db import make_engine, utcnow
from learnbridge.people.models import Person
from learnbridge.push.models import Assignment, Requirement, RequirementItem, RequirementStatus
from learnbridge.records.models import Completion

LEARNERS = 1000
RUNS = 3
QUERIES = 40  # per variant and run
TARGET_P95_MS = 200.0
ADMIN = "bench-admin@example.org"
STATUSES = ["in_progress", "completed", "passed", "failed"]


@dataclass
class RunResult:
    samples: dict[str, list[float]] = field(default_factory=dict)
    rows: int = 0


def _attempts(rnd: random.Random, item_id: int, version_id: int, people: list[int]) -> list[dict[str, Any]]:
    now = utcnow()
    rows = []
    for person_id in people:
        for number in range(1, rnd.choice([1, 1, 1, 2, 3]) + 1):
            status = rnd.choice(STATUSES)
            rows.append(
                {
                    "version_id": version_id,
                    "item_id": item_id,
                    "person_id": person_id,
                    "number": number,
                    "registration": f"00000000-0000-4000-8000-{person_id:06d}{number:06d}",
                    "status": status,
                    "score": None if status == "in_progress" else round(rnd.random(), 2),
                    "progress": rnd.random(),
                    "seconds_spent": rnd.randrange(60, 7200),
                    "location": "page-3",
                    "data": {},
                    "started_at": now - dt.timedelta(days=rnd.randrange(1, 90)),
                    "updated_at": now - dt.timedelta(hours=rnd.randrange(1, 2000)),
                }
            )
    return rows


def prepare(url: str) -> int:
    """The item, its learners and their records; returns the item's id."""
    rnd = random.Random(13)
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            item = LearningItem(title="Progress bench", status=ItemStatus.published.value, objectives=["x"])
            db.add(item)
            db.flush()
            version = add_version(db, item_id=item.id, kind=ContentKind.quiz, spec={"questions": []})
            db.execute(
                insert(Person),
                [
                    {"external_id": f"P{n:05d}", "name": f"Learner {n:04d}", "email": f"p{n}@example.org"}
                    for n in range(LEARNERS)
                ],
            )
            people = list(db.scalars(select(Person.id).order_by(Person.id)))
            db.execute(insert(Attempt), _attempts(rnd, item.id, version.id, people))
            _assign(db, item.id, people[::2])
            today = dt.date.today()
            db.execute(
                insert(Completion),
                [
                    {"person_id": p, "item_id": item.id, "completed_at": utcnow(), "completed_on": today}
                    | {
                        "source": "manual",
                        "evidence": "",
                        "recorded_at": utcnow(),
                        "mandatory_evidence": True,
                    }
                    for p in people[::7]
                ],
            )
            create_account(db, email=ADMIN, password=PASSWORD, is_ld_admin=True)
            db.commit()
            return item.id
    finally:
        engine.dispose()


def _assign(db: Session, item_id: int, people: list[int]) -> None:
    requirement = Requirement(name="Bench requirement", status=RequirementStatus.active.value)
    db.add(requirement)
    db.flush()
    db.execute(insert(RequirementItem), [{"requirement_id": requirement.id, "item_id": item_id}])
    today = dt.date.today()
    rows = [
        {"requirement_id": requirement.id, "person_id": p, "assigned_on": today}
        | {"due_on": today + dt.timedelta(days=30), "cycle": 1, "updated_at": utcnow()}
        for p in people
    ]
    db.execute(insert(Assignment), rows)


def _time(client: Client, path: str, samples: list[float]) -> bytes:
    started = time.perf_counter()
    status, body = client.request("GET", path)
    samples.append(time.perf_counter() - started)
    assert status == 200, f"{path} answered {status}"
    return body


def one_run(backend: str) -> RunResult:
    result = RunResult()
    with fresh_database(backend) as url, tempfile.TemporaryDirectory() as var:
        item_id = prepare(url)
        settle(backend, url)
        with served(url, Path(var)) as port:
            client = Client(port)
            client.sign_in(ADMIN)
            page = f"/catalog/{item_id}/progress"
            for _ in range(5):  # warm up
                client.request("GET", page)
            variants = {"first page (50 rows)": page, "status=failed": f"{page}?status=failed"}
            for name, path in variants.items():
                result.samples[name] = []
                for _ in range(QUERIES):
                    _time(client, path, result.samples[name])
            result.samples["CSV, every learner"] = []
            for _ in range(5):
                body = _time(client, f"{page}.csv", result.samples["CSV, every learner"])
            result.rows = body.count(b"\n") - 1
            client.close()
    return result


def run() -> dict[str, list[RunResult]]:
    out: dict[str, list[RunResult]] = {}
    for backend in backends():
        out[backend] = []
        for n in range(RUNS):
            console.print(f"  {backend}: progress of {LEARNERS:,} learners, run {n + 1}/{RUNS}")
            out[backend].append(one_run(backend))
    return out


def render(out: dict[str, list[RunResult]]) -> None:
    rows = []
    for backend, results in out.items():
        for name in results[0].samples:
            p50 = median([percentile(r.samples[name], 50) for r in results]) * 1000
            p95 = median([percentile(r.samples[name], 95) for r in results]) * 1000
            verdict = "" if name.startswith("CSV") else "ok" if p95 < TARGET_P95_MS else "SLOW"
            rows.append([backend, name, f"{p50:.1f} ms", f"{p95:.1f} ms", verdict])
    learners = out[next(iter(out))][0].rows if out else LEARNERS
    console.print(
        table(
            f"Item progress page through HTTP as an L&D admin: {learners:,} learners on one item (median of "
            f"{RUNS} runs, {QUERIES} requests per page variant; target p95 < {TARGET_P95_MS:.0f} ms)",
            ["backend", "request", "p50", "p95", "verdict"],
            rows,
        )
    )

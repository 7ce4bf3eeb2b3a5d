"""Two processes recompute the same PostgreSQL database at the same moment: every pair is assigned once
and audited once, by whichever process inserted it (the unique constraint and ON CONFLICT DO NOTHING).

SQLite has one writer at a time, so the race exists only on PostgreSQL; this test makes its own
committed database there (a missing PostgreSQL fails under CI=true, as in conftest)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.people.models import Person
from learnbridge.push.models import Assignment, AuditAction, AuditEvent, RequirementStatus
from tests.factories import make_item, make_requirement, make_unit
from tests.helpers.databases import create_database, drop_database

PEOPLE = 3000
TODAY = dt.date(2026, 3, 2)
ROOT = Path(__file__).resolve().parents[3]

# Each worker connects, says it is ready, waits for the go, recomputes everything and commits.
WORKER = """
import datetime as dt, pathlib, sys, time
from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.push.audit import Actor
from learnbridge.push.assignments import recompute

url, barrier, me = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
engine = make_engine(url)
with make_sessionmaker(engine)() as db:
    db.connection()
    (barrier / f"ready-{me}").touch()
    deadline = time.monotonic() + 60
    while not (barrier / "go").exists():
        if time.monotonic() > deadline:
            sys.exit("never got the go")
        time.sleep(0.001)
    started = time.time()
    result = recompute(db, actor=Actor.system("race"), today=dt.date.fromisoformat(sys.argv[4]))
    db.commit()
    print(result.created, started, time.time())
engine.dispose()
"""


@pytest.fixture
def committed_pg(tmp_path: Path) -> Iterator[str]:
    url, handle = create_database("postgresql", tmp_path)
    try:
        yield url
    finally:
        drop_database(handle)


def _organisation(url: str) -> int:
    """3000 people in two units and three active requirements nobody has been assigned yet; returns
    the number of (requirement, person) pairs they make."""
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            parent = make_unit(db, "Operations")
            child = make_unit(db, "Warehouse", parent=parent)
            rows = [
                {
                    "external_id": f"R{n:05d}",
                    "name": f"Racer {n}",
                    "email": f"racer{n}@example.org",
                    "org_unit_id": (parent.id, child.id)[n % 2],
                }
                for n in range(PEOPLE)
            ]
            db.execute(insert(Person), rows)
            item = make_item(db)
            rules: list[list[dict[str, Any]]] = [
                [{"kind": "everyone"}],
                [{"kind": "unit", "org_unit_id": child.id}],
                [{"kind": "unit_tree", "org_unit_id": parent.id}],
            ]
            for rule in rules:
                # Active without the recompute activation runs: the two workers do the first one.
                requirement = make_requirement(db, items=[item], rules=rule, activate=False)
                requirement.status = RequirementStatus.active.value
            db.commit()
    finally:
        engine.dispose()
    return PEOPLE + PEOPLE // 2 + PEOPLE


def _race(url: str, barrier: Path) -> list[subprocess.CompletedProcess[str]]:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(barrier), str(me), TODAY.isoformat()],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in (1, 2)
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((barrier / f"ready-{me}").exists() for me in (1, 2)):
            assert time.monotonic() < deadline, "the workers never became ready"
            assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
            time.sleep(0.01)
        (barrier / "go").touch()
        outputs = [w.communicate(timeout=120) for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    return [
        subprocess.CompletedProcess(w.args, w.returncode, out, err)
        for w, (out, err) in zip(workers, outputs, strict=True)
    ]


def test_two_concurrent_recomputes_assign_and_audit_each_pair_once(committed_pg: str, tmp_path: Path) -> None:
    pairs = _organisation(committed_pg)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    done = _race(committed_pg, barrier)
    assert [d.returncode for d in done] == [0, 0], [d.stderr[-2000:] for d in done]
    (created_1, started_1, ended_1), (created_2, started_2, ended_2) = [
        [float(word) for word in d.stdout.split()] for d in done
    ]
    # A race only if each began before the other had committed (the barrier all but ensures it).
    assert started_1 < ended_2 and started_2 < ended_1, [d.stdout for d in done]
    assert created_1 + created_2 == pairs  # each pair inserted by exactly one of them

    engine = make_engine(committed_pg)
    try:
        with Session(engine) as db:
            a, e = Assignment, AuditEvent
            assert db.scalar(select(func.count()).select_from(a)) == pairs
            twice = select(a.requirement_id, a.person_id).group_by(a.requirement_id, a.person_id)
            assert not db.execute(twice.having(func.count() > 1)).all()
            assigned = select(e.requirement_id, e.person_id, e.assignment_id).where(
                e.action == AuditAction.assigned.value
            )
            audited = db.execute(assigned).all()
            assert len(audited) == pairs
            rows = {(r, p, i) for i, r, p in db.execute(select(a.id, a.requirement_id, a.person_id))}
            assert set(audited) == rows  # one audit row per assignment, pointing at it
    finally:
        engine.dispose()

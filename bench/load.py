"""Load: many signed-in users at once against the app served as `make run` serves it (issue 16).

Per backend: a fresh database, migrated, the demo organisation loaded at LEARNBRIDGE_BENCH_LOAD_PEOPLE
people (default 10,000; without the content store's files, which no measured page reads), its planner
statistics gathered (bench.common.settle), the jobs it queued run (the steady state a server reaches a
minute after a load, rather than its job worker's backlog). Accounts for LEARNERS learners and up to
MANAGERS of their managers (each with a real team), picked evenly across the organisation; each learner
gets an API token.

The app runs under uvicorn in its own processes, with its job worker in process as `learnbridge serve`
runs it (one process elected), first in 1 worker process, then in N = os.cpu_count() (the default of
`learnbridge serve`); access logging off. Each connection signs in as its own user through the sign-in
form (learners for the home page, catalogue search and the API, which takes the learner's bearer token;
managers for their team's compliance page). The load comes from bench.loadgen, a keep-alive HTTP/1.1
client in a process of its own; on a 2-core machine it competes with the server for the CPU, so its own
ceiling (against a server that answers instantly) is measured first and shown.

Measured at CONNECTIONS connections for LEARNBRIDGE_BENCH_LOAD_SECONDS (default 4) after a 1 s warm-up,
RUNS times interleaved, medians: learner home, team compliance, catalogue search, GET
/api/v1/me/assignments, /healthz and, served by uvicorn with the same worker count in the same run, a bare
FastAPI /healthz (bench/bare_app.py). Then the curve: learner home at 1 to 64 connections, the median of
LEARNBRIDGE_BENCH_LOAD_RUNS runs each.

Targets (issue 16): each page >= 300 requests/s with p95 < 150 ms at 32 connections on SQLite, and more on
PostgreSQL with several workers; /healthz >= 60% of the bare endpoint; throughput that does not fall as
connections rise (here: each point >= 90% of the best at fewer connections)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from bench.common import backends, console, fresh_database, median, settle, table
from bench.loadgen import Generator, Load, Measured, canned_server, generator, request_bytes
from bench.served import BENCH_ENV, PASSWORD, Client, served, uvicorn_served
from learnbridge.accounts import passwords
from learnbridge.accounts.models import Account
from learnbridge.accounts.service import create_account, create_token
from learnbridge.core.db import make_engine, make_sessionmaker, utcnow
from learnbridge.core.jobs import Job, JobStatus, run_pending
from learnbridge.core.settings import PasswordCost, Settings
from learnbridge.demo.loader import load_demo
from learnbridge.jobs import job_handlers, recurring_jobs
from learnbridge.people.models import Person

PEOPLE = int(os.environ.get("LEARNBRIDGE_BENCH_LOAD_PEOPLE", "10000"))
SECONDS = float(os.environ.get("LEARNBRIDGE_BENCH_LOAD_SECONDS", "4"))
RUNS = int(os.environ.get("LEARNBRIDGE_BENCH_LOAD_RUNS", "3"))
WARMUP = 1.0
CONNECTIONS = 32
CURVE = (1, 4, 16, 32, 64)
LEARNERS = max(CURVE)
MANAGERS = 8
WORDS = ("data", "forklift", "fire safety", "coaching", "warehouse", "sql", "planning", "managers")
TARGET_RATE = 300.0
TARGET_P95 = 0.150
HEALTHZ_SHARE = 0.6
CURVE_HOLD = 0.9
BARE = "bare FastAPI /healthz"
HEALTHZ = "/healthz"
PAGES = ("learner home /", "team compliance", "catalogue search", "GET /api/v1/me/assignments")


@dataclass
class Users:
    learners: list[str]
    managers: list[str]
    tokens: list[str]


@dataclass
class Served:
    backend: str
    workers: int
    endpoints: dict[str, list[Measured]] = field(default_factory=dict)
    curve: dict[int, list[Measured]] = field(default_factory=dict)


@dataclass
class Result:
    ceiling: Measured | None = None
    served: list[Served] = field(default_factory=list)


def _cheap_hashing() -> None:
    """The bench's accounts hashed at the served app's cost (bench.served.BENCH_ENV): sign-in is not
    what is measured."""
    env = {
        key.removeprefix("LEARNBRIDGE_PASSWORD_"): int(v) for key, v in BENCH_ENV.items() if "PASSWORD" in key
    }
    passwords.configure(PasswordCost(env["TIME_COST"], env["MEMORY_KIB"], env["PARALLELISM"]))


def _spread(ids: list[int], count: int) -> list[int]:
    return [ids[i * len(ids) // count] for i in range(count)] if len(ids) > count else ids


def prepare(url: str, backend: str) -> Users:
    """The demo at PEOPLE people, and the bench's users spread over it."""
    _cheap_hashing()
    engine = make_engine(url)
    last = [""]

    def progress(stage: str, done: int, total: int) -> None:
        if stage != last[0]:
            last[0] = stage
            console.print(f"  {backend}: demo at {PEOPLE:,} people: {stage}")

    try:
        with Session(engine, expire_on_commit=False) as db:
            load_demo(db, people=PEOPLE, progress=progress)
            report = aliased(Person)
            has_reports = exists().where(report.manager_id == Person.id)
            # The demo's own logins keep their password: the bench's users are everyone else.
            has_account = exists().where(Account.person_id == Person.id)
            leaves = db.execute(
                select(Person.id, Person.email, Person.manager_id)
                .where(Person.email.is_not(None), Person.manager_id.is_not(None), ~has_reports, ~has_account)
                .order_by(Person.id)
            ).all()
            chosen = set(_spread([row.id for row in leaves], LEARNERS))
            picked = [row for row in leaves if row.id in chosen]
            bosses = sorted({row.manager_id for row in picked})
            boss_ids = set(_spread(bosses, MANAGERS))
            boss_emails = db.scalars(select(Person.email).where(Person.id.in_(boss_ids), ~has_account)).all()
            users = Users([str(r.email) for r in picked], [str(e) for e in boss_emails], [])
            for email in users.learners + users.managers:
                create_account(db, email=email, password=PASSWORD)
            users.tokens = [create_token(db, email=email, name="load") for email in users.learners]
            db.commit()
    finally:
        engine.dispose()
    settle(backend, url)
    return users


def drain_jobs(url: str, backend: str) -> None:
    """Run the jobs the demo queued (its mail, statements, the first runs of the recurring jobs) before
    serving: the served app's job worker would otherwise spend the measured seconds on that backlog."""
    engine = make_engine(url)
    with tempfile.TemporaryDirectory() as var:
        settings = Settings(
            database_url=url, var_dir=Path(var), secret_key=BENCH_ENV["LEARNBRIDGE_SECRET_KEY"]
        )
        factory, handlers = make_sessionmaker(engine, settings), job_handlers(settings)
        total, deadline = 0, time.monotonic() + 60
        # A job's follow-ups fall due a few seconds later: keep going until none is due soon.
        while time.monotonic() < deadline:
            total += run_pending(factory, handlers, worker_id="bench-load", recurring=recurring_jobs())
            with factory() as db:
                soon = utcnow() + dt.timedelta(seconds=10)
                if not db.scalar(
                    select(Job.id).where(Job.status == JobStatus.queued.value, Job.run_at <= soon).limit(1)
                ):
                    break
            time.sleep(0.5)
    engine.dispose()
    console.print(f"  {backend}: {total} queued jobs run before serving")


def _cookies(port: int, emails: list[str]) -> list[str]:
    """Each user signed in through the sign-in form, as the Cookie header their browser would send."""
    headers = []
    for email in emails:
        client = Client(port)
        client.sign_in(email)
        headers.append("; ".join(f"{k}={v}" for k, v in client.cookies.items()))
        client.close()
    return headers


def _requests(port: int, users: Users) -> dict[str, tuple[bytes, ...]]:
    learners = _cookies(port, users.learners)
    managers = _cookies(port, users.managers)
    search = [f"/catalog?q={WORDS[i % len(WORDS)].replace(' ', '+')}" for i in range(len(learners))]
    return {
        PAGES[0]: tuple(request_bytes("/", {"Cookie": c}) for c in learners),
        PAGES[1]: tuple(request_bytes("/team/compliance", {"Cookie": c}) for c in managers),
        PAGES[2]: tuple(request_bytes(path, {"Cookie": c}) for path, c in zip(search, learners, strict=True)),
        PAGES[3]: tuple(
            request_bytes("/api/v1/me/assignments", {"Authorization": f"Bearer {t}"}) for t in users.tokens
        ),
        HEALTHZ: (request_bytes("/healthz"),),
    }


def _check(port: int, requests: dict[str, tuple[bytes, ...]], gen: Generator) -> None:
    """Every user's request answers 200 before anything is measured (a sign-in that failed would else
    be measured as a fast redirect)."""
    for name, reqs in requests.items():
        found = gen.measure(Load(port, reqs, connections=len(reqs), seconds=0.5, warmup=0))
        if found.errors:
            raise RuntimeError(f"{name}: answers other than 200: {dict(found.errors)}")


def _progress(where: Served, name: str, step: str, m: Measured) -> None:
    errors = f", errors {dict(m.errors)}" if m.errors else ""
    console.print(
        f"  {where.backend}, {where.workers} worker(s), {step}: {name} at {m.connections}: "
        f"{m.rate:,.0f}/s, p50 {_ms(m.percentile(50))}, p95 {_ms(m.percentile(95))}{errors}"
    )


def one_setup(url: str, backend: str, workers: int, users: Users, gen: Generator) -> Served:
    out = Served(backend, workers)
    with (
        tempfile.TemporaryDirectory() as var,
        served(url, Path(var), jobs_in_process=True, workers=workers) as port,
        uvicorn_served("bench.bare_app:create_app", env={}, workers=workers, factory=True) as bare,
    ):
        requests = _requests(port, users)
        _check(port, requests, gen)
        targets = [(port, name, reqs) for name, reqs in requests.items()]
        targets.append((bare, BARE, (request_bytes("/healthz"),)))
        for run in range(1, RUNS + 1):
            for at, name, reqs in targets:
                m = gen.measure(Load(at, reqs, CONNECTIONS, SECONDS, WARMUP))
                out.endpoints.setdefault(name, []).append(m)
                _progress(out, name, f"run {run}/{RUNS}", m)
        # Interleaved like the endpoints: a slow moment of the machine lands on one run of every point.
        for run in range(1, RUNS + 1):
            for connections in CURVE:
                m = gen.measure(Load(port, requests[PAGES[0]], connections, SECONDS, WARMUP))
                out.curve.setdefault(connections, []).append(m)
                _progress(out, PAGES[0], f"curve run {run}/{RUNS}", m)
    return out


def worker_counts() -> list[int]:
    return sorted({1, os.cpu_count() or 1})


def run() -> Result:
    result = Result()
    with generator() as gen:
        with canned_server() as port:
            result.ceiling = gen.measure(
                Load(port, (request_bytes("/healthz"),), CONNECTIONS, SECONDS, WARMUP)
            )
        console.print(f"  load generator's ceiling: {result.ceiling.rate:,.0f}/s")
        for backend in backends():
            with fresh_database(backend) as url:
                users = prepare(url, backend)
                drain_jobs(url, backend)
                console.print(f"  {backend}: {len(users.learners)} learners, {len(users.managers)} managers")
                for workers in worker_counts():
                    result.served.append(one_setup(url, backend, workers, users, gen))
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _summary(runs: list[Measured]) -> tuple[float, float, float, int]:
    """Median req/s, p50, p95 over the runs, and the errors in all of them."""
    rate = median([m.rate for m in runs])
    p50 = median([m.percentile(50) for m in runs])
    p95 = median([m.percentile(95) for m in runs])
    return rate, p50, p95, sum(sum(m.errors.values()) for m in runs)


def _endpoint_rows(s: Served) -> list[list[str]]:
    rows = []
    bare_rate = _summary(s.endpoints[BARE])[0]
    for name, runs in s.endpoints.items():
        rate, p50, p95, errors = _summary(runs)
        if name == HEALTHZ:
            target, ok = (
                f">= {HEALTHZ_SHARE:.0%} of bare: {rate / bare_rate:.0%}",
                rate >= HEALTHZ_SHARE * bare_rate,
            )
        elif name == BARE:
            target, ok = "(the floor)", True
        else:
            target, ok = (
                f">= {TARGET_RATE:.0f}/s, p95 < {TARGET_P95 * 1000:.0f} ms",
                rate >= TARGET_RATE and p95 < TARGET_P95,
            )
        verdict = "ok" if ok and not errors else "MISSED"
        cells = [
            s.backend,
            str(s.workers),
            name,
            f"{rate:,.0f}/s",
            _ms(p50),
            _ms(p95),
            str(errors),
            target,
            verdict,
        ]
        rows.append(cells)
    return rows


def _curve_rows(s: Served) -> list[list[str]]:
    rows, best = [], 0.0
    for connections, runs in s.curve.items():
        rate, p50, p95, errors = _summary(runs)
        holds = rate >= CURVE_HOLD * best and not errors
        best = max(best, rate)
        cells = [s.backend, str(s.workers), str(connections), f"{rate:,.0f}/s", _ms(p50)]
        rows.append([*cells, _ms(p95), str(errors), "ok" if holds else "FALLS"])
    return rows


def render(result: Result) -> None:
    if result.ceiling is not None:
        c = result.ceiling
        console.print(
            f"Load generator's own ceiling (one process, {CONNECTIONS} connections, a server that answers "
            f"instantly): {c.rate:,.0f} requests/s, p50 {_ms(c.percentile(50))}, p95 {_ms(c.percentile(95))}"
        )
    console.print(
        table(
            f"Load: {CONNECTIONS} connections, each its own signed-in user, demo at {PEOPLE:,} people "
            f"(median of {RUNS} runs of {SECONDS:g} s after {WARMUP:g} s warm-up; the app's job worker in "
            f"process; targets are issue 16's, on SQLite; the bare FastAPI /healthz served in the same run)",
            ["backend", "workers", "endpoint", "req/s", "p50", "p95", "errors", "target", "verdict"],
            [row for s in result.served for row in _endpoint_rows(s)],
        )
    )
    console.print(
        table(
            f"Load curve: {PAGES[0]} as connections rise (median of {RUNS} runs of {SECONDS:g} s each; "
            f"target: each point >= {CURVE_HOLD:.0%} of the best at fewer connections)",
            ["backend", "workers", "connections", "req/s", "p50", "p95", "errors", "verdict"],
            [row for s in result.served for row in _curve_rows(s)],
        )
    )

"""The database job queue: enqueue after commit, retries, recurring jobs, stale jobs, several workers."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.app import create_app
from learnbridge.core.db import make_engine, make_sessionmaker
from learnbridge.core.jobs import (
    MAX_ATTEMPTS,
    Batched,
    Job,
    JobHandler,
    JobOutcome,
    JobRunner,
    JobStatus,
    RecurringJob,
    enqueue,
    run_pending,
)
from learnbridge.core.settings import Settings
from learnbridge.notify.models import InboxMessage, MailStatus, OutboxMail
from learnbridge.notify.service import notify_person, queue_mail
from tests.factories import make_person
from tests.helpers.cli import cli
from tests.helpers.databases import BACKENDS, create_database, drop_database

ROOT = Path(__file__).resolve().parents[3]
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def jobs_of(db: Session, kind: str) -> list[Job]:
    db.expire_all()
    return list(db.scalars(select(Job).where(Job.kind == kind).order_by(Job.id)))


def boom(db: Session, payload: dict[str, Any]) -> None:
    raise RuntimeError(f"broken {payload['n']}")


def test_a_unique_key_enqueues_once_and_plain_jobs_every_time(db: Session) -> None:
    assert enqueue(db, "test.unique", {"n": 1}, unique_key="k-1") is True
    assert enqueue(db, "test.unique", {"n": 2}, unique_key="k-1") is False
    assert enqueue(db, "test.unique", {"n": 3}) is True
    assert enqueue(db, "test.unique", {"n": 3}) is True
    assert [job.payload["n"] for job in jobs_of(db, "test.unique")] == [1, 3, 3]


def test_a_job_exists_only_if_the_caller_commits(db: Session, sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        enqueue(s, "test.mark", {"n": 1})
        s.rollback()
    ran: list[int] = []
    handlers = {"test.mark": lambda _db, payload: ran.append(payload["n"])}
    assert run_pending(sessions, handlers, worker_id="w") == 0
    with sessions() as s:
        enqueue(s, "test.mark", {"n": 2})
        s.commit()
    assert run_pending(sessions, handlers, worker_id="w") == 1
    assert ran == [2]
    [job] = jobs_of(db, "test.mark")
    assert job.status == JobStatus.done and job.attempts == 1 and job.finished_at is not None


def test_a_job_due_later_waits(db: Session, sessions: sessionmaker[Session]) -> None:
    enqueue(db, "test.later", run_at=T0 + dt.timedelta(hours=1))
    handlers = {"test.later": lambda _db, _payload: None}
    assert run_pending(sessions, handlers, worker_id="w", now=T0) == 0
    assert run_pending(sessions, handlers, worker_id="w", now=T0 + dt.timedelta(hours=1)) == 1


def test_a_failing_job_backs_off_then_fails_after_five_attempts(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    enqueue(db, "test.boom", {"n": 7}, run_at=T0)
    outcomes: list[JobOutcome] = []
    handlers = {"test.boom": boom}
    now, waits = T0, []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert run_pending(sessions, handlers, worker_id="w", now=now, on_outcome=outcomes.append) == 1
        # Not again before the backoff has passed.
        assert run_pending(sessions, handlers, worker_id="w", now=now) == 0
        [job] = jobs_of(db, "test.boom")
        assert job.attempts == attempt and job.error == "RuntimeError: broken 7"
        if attempt < MAX_ATTEMPTS:
            assert job.status == JobStatus.queued
            waits.append(job.run_at - now)
            now = job.run_at
    assert waits == [dt.timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert job.status == JobStatus.failed and job.finished_at == now
    assert [o.status for o in outcomes] == [JobStatus.queued] * 4 + [JobStatus.failed]
    assert run_pending(sessions, handlers, worker_id="w", now=now + dt.timedelta(days=1)) == 0


def test_a_failed_try_rolls_back_its_writes_and_the_retry_commits_them(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    person = make_person(db)
    enqueue(db, "test.flaky", {"person_id": person.id}, run_at=T0)
    tries: list[int] = []

    def flaky(db: Session, payload: dict[str, Any]) -> None:
        notify_person(db, person_id=payload["person_id"], subject=f"try {len(tries) + 1}", body="")
        tries.append(1)
        if len(tries) == 1:
            raise ValueError("first try fails after writing")

    handlers = {"test.flaky": flaky}
    run_pending(sessions, handlers, worker_id="w", now=T0)
    run_pending(sessions, handlers, worker_id="w", now=T0 + dt.timedelta(minutes=1))
    subjects = db.scalars(select(InboxMessage.subject).where(InboxMessage.person_id == person.id)).all()
    assert subjects == ["try 2"]
    [job] = jobs_of(db, "test.flaky")
    assert job.status == JobStatus.done and job.attempts == 2 and job.error == ""


def test_an_unknown_kind_fails_at_once(db: Session, sessions: sessionmaker[Session]) -> None:
    enqueue(db, "test.nobody-handles-this")
    assert run_pending(sessions, {}, worker_id="w") == 1
    [job] = jobs_of(db, "test.nobody-handles-this")
    assert job.status == JobStatus.failed and "no handler" in job.error and job.attempts == 1


def test_a_recurring_job_is_scheduled_once_a_day_however_many_runners(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    daily = [RecurringJob(kind="test.daily", at=dt.time(3, 0))]
    days: list[str] = []
    handlers = {"test.daily": lambda _db, payload: days.append(payload["day"])}
    early = dt.datetime(2026, 3, 2, 2, 59, tzinfo=dt.UTC)
    assert run_pending(sessions, handlers, worker_id="a", now=early, recurring=daily) == 0
    on_time = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    for worker, minutes in (("a", 0), ("b", 0), ("a", 5), ("b", 600)):
        run_pending(sessions, handlers, worker_id=worker, now=on_time + dt.timedelta(minutes=minutes))
        run_pending(
            sessions, handlers, worker_id=worker, now=on_time + dt.timedelta(minutes=minutes), recurring=daily
        )
    next_day = on_time + dt.timedelta(days=1, minutes=1)
    run_pending(sessions, handlers, worker_id="b", now=next_day, recurring=daily)
    assert days == ["2026-03-02", "2026-03-03"]
    assert [job.unique_key for job in jobs_of(db, "test.daily")] == [
        "test.daily:2026-03-02",
        "test.daily:2026-03-03",
    ]


def test_a_job_left_running_by_a_dead_worker_is_queued_again(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    def running(n: int, minutes_ago: int, attempts: int = 1) -> Job:
        job = Job(
            kind="test.stale",
            payload={"n": n},
            run_at=T0 - dt.timedelta(hours=1),
            status=JobStatus.running.value,
            attempts=attempts,
            locked_by="dead-worker",
            locked_at=T0 - dt.timedelta(minutes=minutes_ago),
        )
        db.add(job)
        return job

    stale, busy, spent = running(1, 16), running(2, 5), running(3, 20, attempts=MAX_ATTEMPTS)
    db.flush()
    ran: list[int] = []
    assert (
        run_pending(sessions, {"test.stale": lambda _db, p: ran.append(p["n"])}, worker_id="w", now=T0) == 1
    )
    assert ran == [1]
    db.expire_all()
    assert (stale.status, stale.attempts, stale.locked_by) == (JobStatus.done, 2, "")
    assert (busy.status, busy.locked_by) == (JobStatus.running, "dead-worker")
    assert spent.status == JobStatus.failed and "worker stopped" in spent.error


def test_limit_caps_the_jobs_run_in_one_round(db: Session, sessions: sessionmaker[Session]) -> None:
    for n in range(5):
        enqueue(db, "test.limit", {"n": n})
    ran: list[int] = []
    handlers = {"test.limit": lambda _db, p: ran.append(p["n"])}
    assert run_pending(sessions, handlers, worker_id="w", limit=3) == 3
    assert run_pending(sessions, handlers, worker_id="w") == 2
    assert ran == [0, 1, 2, 3, 4]  # oldest first


def _numbers(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    return {"ns": [n for p in payloads for n in p.get("ns", [p.get("n")])]}


def test_batched_jobs_of_a_kind_run_together_oldest_first(
    db: Session, sessions: sessionmaker[Session]
) -> None:
    for n in range(5):
        enqueue(db, "test.batched", {"n": n})
        enqueue(db, "test.single", {"n": 10 + n})
    runs: list[list[int]] = []
    singles: list[int] = []
    handlers: dict[str, JobHandler] = {
        "test.batched": Batched(lambda _db, p: runs.append(p["ns"]), merge=_numbers, most=3),
        "test.single": lambda _db, p: singles.append(p["n"]),
    }
    outcomes: list[JobOutcome] = []
    assert run_pending(sessions, handlers, worker_id="w", on_outcome=outcomes.append) == 10
    assert runs == [[0, 1, 2], [3, 4]]  # at most three a run, in queue order
    assert singles == [10, 11, 12, 13, 14]
    assert len(outcomes) == 10 and {o.status for o in outcomes} == {JobStatus.done}
    assert all(job.status == JobStatus.done and job.attempts == 1 for job in jobs_of(db, "test.batched"))
    # A round's limit counts every job a merged run finished.
    for n in range(4):
        enqueue(db, "test.batched", {"n": n})
    runs.clear()
    assert run_pending(sessions, handlers, worker_id="w", limit=2) == 2
    assert runs == [[0, 1]]


def test_a_merged_run_that_fails_is_run_job_by_job(db: Session, sessions: sessionmaker[Session]) -> None:
    for n in range(4):
        enqueue(db, "test.merged", {"n": n}, run_at=T0)
    seen: list[list[int]] = []

    def picky(db: Session, payload: dict[str, Any]) -> None:
        seen.append(payload["ns"])
        notify_person(db, person_id=person.id, subject=f"ns {payload['ns']}", body="")
        if 2 in payload["ns"]:
            raise ValueError("2 is bad")

    person = make_person(db)
    db.commit()
    handlers = {"test.merged": Batched(picky, merge=_numbers)}
    assert run_pending(sessions, handlers, worker_id="w", now=T0) == 4
    assert seen == [[0, 1, 2, 3], [0], [1], [2], [3]]
    by_n = {job.payload["n"]: job for job in jobs_of(db, "test.merged")}
    assert [by_n[n].status for n in range(4)] == [
        JobStatus.done,
        JobStatus.done,
        JobStatus.queued,
        JobStatus.done,
    ]
    assert by_n[2].error == "ValueError: 2 is bad" and by_n[2].attempts == 1
    # The failed merged run's writes were rolled back; each good job's own run committed its writes.
    subjects = db.scalars(select(InboxMessage.subject).where(InboxMessage.person_id == person.id)).all()
    assert sorted(subjects) == ["ns [0]", "ns [1]", "ns [3]"]


# --- against fresh databases: committed data, other threads and processes ---


@pytest.fixture(scope="module", params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp("jobs"))
    yield url
    drop_database(handle)


def test_the_app_runs_jobs_in_process_after_the_commit(fresh_url: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=fresh_url, secret_key="test", var_dir=tmp_path, jobs_poll_seconds=0.05, smtp_host=""
    )
    app = create_app(settings)
    factory = make_sessionmaker(app.state.engine)
    with TestClient(app):
        assert app.state.job_runner is not None
        with factory() as db:
            mail = queue_mail(db, to_address="ada@example.org", subject="Hello", body="Hi")
            db.commit()
        app.state.job_runner.wake()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with factory() as db:
                if db.get(OutboxMail, mail.id).status == MailStatus.held:  # type: ignore[union-attr]
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the in-process runner did not send the mail")
    assert app.state.job_runner._thread is None  # stopped with the app


def test_cli_jobs_run_pending_runs_what_is_due_and_prints_a_summary(fresh_url: str, tmp_path: Path) -> None:
    engine = make_engine(fresh_url)
    with make_sessionmaker(engine)() as db:
        mail = queue_mail(db, to_address="grace@example.org", subject="Hi", body="Hello")
        db.commit()
    result = cli(fresh_url, "jobs", "run-pending", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    # The mail, and the daily purge if the clock has passed its time today.
    assert "done=" in result.stdout and "failed=0" in result.stdout
    with make_sessionmaker(engine)() as db:
        assert db.get(OutboxMail, mail.id).status == MailStatus.held  # type: ignore[union-attr]
    engine.dispose()


WORKER = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import text
    from learnbridge.core.db import make_engine, make_sessionmaker
    from learnbridge.core.jobs import run_pending

    url, worker = sys.argv[1], sys.argv[2]

    def mark(db, payload):
        insert = text("INSERT INTO job_marks (n, worker) VALUES (:n, :w)")
        db.execute(insert, {"n": payload["n"], "w": worker})
        time.sleep(0.01)

    engine = make_engine(url)
    print(run_pending(make_sessionmaker(engine), {"test.mark": mark}, worker_id=worker))
    """
)


def test_two_worker_processes_run_each_job_exactly_once_on_postgresql(tmp_path: Path) -> None:
    url, handle = create_database("postgresql", tmp_path)
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            db.execute(text("CREATE TABLE job_marks (n integer NOT NULL, worker varchar(20) NOT NULL)"))
            for n in range(200):
                enqueue(db, "test.mark", {"n": n})
            db.commit()
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, url, name],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("w1", "w2")
        ]
        results = [worker.communicate(timeout=120) for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), results
        ran = [int(out.strip()) for out, _ in results]
        assert sum(ran) == 200 and min(ran) > 0, ran
        with make_sessionmaker(engine)() as db:
            marks = db.execute(text("SELECT n, count(*) FROM job_marks GROUP BY n")).all()
            assert sorted(n for n, _ in marks) == list(range(200))
            assert {count for _, count in marks} == {1}
            by_worker: dict[str, int] = dict(
                db.execute(text("SELECT worker, count(*) FROM job_marks GROUP BY worker")).all()
            )
            assert by_worker == {"w1": ran[0], "w2": ran[1]}
            statuses = db.execute(
                select(Job.status, Job.attempts, func.count()).group_by(Job.status, Job.attempts)
            )
            assert statuses.all() == [("done", 1, 200)]
    finally:
        engine.dispose()
        drop_database(handle)


def test_the_runner_thread_survives_errors_and_stops_when_asked() -> None:
    def broken_sessionmaker() -> Session:
        raise RuntimeError("database is down")

    runner = JobRunner(broken_sessionmaker, {}, (), 0.01)  # type: ignore[arg-type]
    runner.start()
    time.sleep(0.05)
    runner.wake()
    runner.stop()
    assert runner._thread is None

"""Running the job queue in a test and reading back what the platform wrote to the LRS."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from learnbridge.core.jobs import JobOutcome, JobStatus, run_pending
from learnbridge.core.settings import Settings
from learnbridge.jobs import job_handlers
from learnbridge.lrs.clients import platform_client_id
from learnbridge.lrs.models import Statement
from learnbridge.records.platform_iris import origin_extension, verb_iri

BASE = "https://lb.example.org"
SETTINGS = Settings(base_url=BASE)
ORIGIN = origin_extension(BASE)


def job_sessions(db: Session) -> sessionmaker[Session]:
    """Sessions for run_pending on the test's connection (savepoints inside the test's rollback)."""
    return sessionmaker(
        bind=db.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )


def run_jobs(db: Session) -> list[JobOutcome]:
    """Run every queued job, and the jobs those queue, until none is left; each must succeed."""
    db.flush()
    sessions = job_sessions(db)
    outcomes: list[JobOutcome] = []
    while run_pending(sessions, job_handlers(SETTINGS), worker_id="test", on_outcome=outcomes.append):
        pass
    failed = [o for o in outcomes if o.status != JobStatus.done]
    assert not failed, failed
    db.expire_all()
    return outcomes


def platform_rows(db: Session, verb: str | None = None) -> list[Statement]:
    """The platform's statements, oldest first (with `verb`, a key of platform_iris.VERBS, only those)."""
    stmt = select(Statement).where(Statement.client_id == platform_client_id(db))
    if verb is not None:
        stmt = stmt.where(Statement.verb_id == verb_iri(BASE, verb))
    return list(db.scalars(stmt.order_by(Statement.id)))


def platform_statements(db: Session, verb: str | None = None) -> list[dict[str, Any]]:
    return [json.loads(row.full) for row in platform_rows(db, verb)]


def origin_of(statement: dict[str, Any]) -> str:
    origin: str = statement["context"]["extensions"][ORIGIN]
    return origin


def mbox(email: str | None) -> str:
    assert email
    return f"mailto:{email.lower()}"

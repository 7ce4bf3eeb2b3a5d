"""Push's background jobs: the daily reminders and recount, recomputes after HR changes, xAPI
statements becoming completions (push.xapi_completions), and assignments as platform statements
(push.platform_events)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.core.jobs import Batched, JobHandler, RecurringJob, enqueue
from learnbridge.core.settings import Settings
from learnbridge.people.importer import PEOPLE_CHANGED
from learnbridge.push.compliance_counts import refresh_counts
from learnbridge.push.platform_events import ASSIGNMENTS_JOB, write_assignment_statements
from learnbridge.push.reminders import send_reminders
from learnbridge.push.requirements import people_changed
from learnbridge.push.xapi_completions import STATEMENTS_STORED, apply_statements, completion_verbs

REMINDERS = "push.reminders"
# Statuses move with the date (due dates pass, certificates expire): recount when the day starts.
COUNTS = "push.counts"


def _reminders(db: Session, payload: dict[str, Any]) -> None:
    send_reminders(db, day=dt.date.fromisoformat(str(payload["day"])))


def _counts(db: Session, payload: dict[str, Any]) -> None:
    refresh_counts(db, today=dt.date.fromisoformat(str(payload["day"])))


def _people_changed(db: Session, payload: dict[str, Any]) -> None:
    """Enqueued by the HR import (people, lower in the layers, cannot call push)."""
    ids = None if payload.get("all") else [int(i) for i in payload["person_ids"]]
    people_changed(db, person_ids=ids)


def _all_ids(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    return {"ids": [i for payload in payloads for i in payload.get("ids", [])]}


def job_handlers(settings: Settings) -> dict[str, JobHandler]:
    verbs = completion_verbs(settings)

    def statements_stored(db: Session, payload: dict[str, Any]) -> None:
        """What the LRS's store enqueues: payload {"ids": [statement pks]}."""
        ids = [int(i) for i in payload.get("ids", [])]
        apply_statements(db, statement_pks=ids, base_url=settings.base_url, verbs=verbs)

    def assignment_statements(db: Session, payload: dict[str, Any]) -> None:
        """What `queue_assignment_statements` queues: payload {"after": id, "through": id}."""
        after, through = int(payload["after"]), int(payload["through"])
        last = write_assignment_statements(db, after=after, through=through, base_url=settings.base_url)
        if last is not None:
            enqueue(db, ASSIGNMENTS_JOB, {"after": last, "through": through})

    return {
        REMINDERS: _reminders,
        PEOPLE_CHANGED: _people_changed,
        COUNTS: _counts,
        # One stored batch, one job: the worker runs up to ten of them at once (core.jobs.Batched). Fifty
        # held SQLite's write lock long enough that eight clients posting at once stored fewer statements
        # a second than one (1,766 vs 2,225/s at 100,000); ten: 2,472 vs 2,321/s.
        STATEMENTS_STORED: Batched(statements_stored, merge=_all_ids, most=10),
        ASSIGNMENTS_JOB: assignment_statements,
    }


def recurring_jobs() -> list[RecurringJob]:
    """The daily jobs (times in UTC)."""
    return [RecurringJob(kind=COUNTS, at=dt.time(0, 0)), RecurringJob(kind=REMINDERS, at=dt.time(6, 0))]

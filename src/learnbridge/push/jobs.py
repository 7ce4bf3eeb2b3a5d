"""Push's background jobs: the daily reminders and recomputes after HR changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.core.jobs import JobHandler
from learnbridge.people.importer import PEOPLE_CHANGED
from learnbridge.push.compliance_counts import refresh_counts
from learnbridge.push.reminders import send_reminders
from learnbridge.push.requirements import people_changed

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


def job_handlers() -> dict[str, JobHandler]:
    return {REMINDERS: _reminders, PEOPLE_CHANGED: _people_changed, COUNTS: _counts}

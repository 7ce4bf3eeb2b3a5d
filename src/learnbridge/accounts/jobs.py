"""Accounts' background job: the nightly purge of expired sessions and stale failed sign-ins.

The notice of failed sign-ins (throttle.NOTICE) is sent by notify's jobs: it needs notify's mail and
inbox, and notify sits above accounts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.accounts import service
from learnbridge.core.jobs import JobHandler, RecurringJob
from learnbridge.core.settings import Settings

PURGE = "accounts.purge"


def _purge(db: Session, payload: dict[str, Any]) -> None:
    service.purge_expired(db)


def job_handlers(settings: Settings) -> dict[str, JobHandler]:
    return {PURGE: _purge}


def recurring_jobs() -> list[RecurringJob]:
    """The daily jobs (times in UTC)."""
    return [RecurringJob(kind=PURGE, at=dt.time(3, 0))]

"""Every area's background jobs, in one place for the app's runner and `learnbridge worker`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.accounts import service as accounts
from learnbridge.core.jobs import JobHandler, RecurringJob
from learnbridge.core.settings import Settings
from learnbridge.notify import jobs as notify_jobs
from learnbridge.pull import recommend_jobs as pull_recommend_jobs
from learnbridge.push import jobs as push_jobs
from learnbridge.push import platform_events as push_platform_events
from learnbridge.push import stream as push_stream
from learnbridge.records import platform_statements


def job_handlers(settings: Settings) -> dict[str, JobHandler]:
    """Job kind -> handler, for every area."""

    def purge_accounts(db: Session, payload: dict[str, Any]) -> None:
        accounts.purge_expired(db, window_minutes=settings.login_window_minutes)

    return {
        **notify_jobs.job_handlers(settings),
        **push_jobs.job_handlers(),
        **push_stream.job_handlers(settings),
        **push_platform_events.job_handlers(settings),
        **platform_statements.job_handlers(settings),
        **pull_recommend_jobs.job_handlers(),
        "accounts.purge": purge_accounts,
    }


def recurring_jobs() -> list[RecurringJob]:
    """The daily jobs (times in UTC)."""
    return [
        RecurringJob(kind="accounts.purge", at=dt.time(3, 0)),
        RecurringJob(kind=push_jobs.COUNTS, at=dt.time(0, 0)),
        RecurringJob(kind=push_jobs.REMINDERS, at=dt.time(6, 0)),
        RecurringJob(kind=pull_recommend_jobs.POPULARITY, at=dt.time(2, 0)),
    ]

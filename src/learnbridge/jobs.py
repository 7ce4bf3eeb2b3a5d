"""Every area's background jobs, in one place for the app's runner and `learnbridge worker`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.accounts import service as accounts
from learnbridge.accounts import throttle
from learnbridge.core.jobs import JobHandler, RecurringJob
from learnbridge.core.settings import Settings
from learnbridge.notify import jobs as notify_jobs
from learnbridge.notify import service as notify
from learnbridge.pull.recommend import jobs as pull_recommend_jobs
from learnbridge.push import jobs as push_jobs
from learnbridge.push import platform_events as push_platform_events
from learnbridge.push import xapi_completions as push_xapi_completions
from learnbridge.records import platform_statements


def job_handlers(settings: Settings) -> dict[str, JobHandler]:
    """Job kind -> handler, for every area."""

    def purge_accounts(db: Session, payload: dict[str, Any]) -> None:
        accounts.purge_expired(db)

    return {
        **notify_jobs.job_handlers(settings),
        **push_jobs.job_handlers(),
        **push_xapi_completions.job_handlers(settings),
        **push_platform_events.job_handlers(settings),
        **platform_statements.job_handlers(settings),
        **pull_recommend_jobs.job_handlers(),
        "accounts.purge": purge_accounts,
        throttle.NOTICE: tell_of_failed_sign_ins,
    }


def tell_of_failed_sign_ins(db: Session, payload: dict[str, Any]) -> None:
    """The owner of an account someone is guessing at hears of it in the inbox and by mail."""
    notice = throttle.failed_sign_ins_notice(db, payload)
    if notice is None:
        return
    if notice.person_id is not None:
        notify.notify_person(db, person_id=notice.person_id, subject=notice.subject, body=notice.body)
    notify.queue_mail(
        db, to_address=notice.email, subject=notice.subject, body=notice.body, to_person_id=notice.person_id
    )


def recurring_jobs() -> list[RecurringJob]:
    """The daily jobs (times in UTC)."""
    return [
        RecurringJob(kind="accounts.purge", at=dt.time(3, 0)),
        RecurringJob(kind=push_jobs.COUNTS, at=dt.time(0, 0)),
        RecurringJob(kind=push_jobs.REMINDERS, at=dt.time(6, 0)),
        RecurringJob(kind=pull_recommend_jobs.POPULARITY, at=dt.time(2, 0)),
    ]

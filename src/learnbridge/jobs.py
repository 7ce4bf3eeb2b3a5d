"""The app's job registry, for its runner and `learnbridge worker`: each area with background work
registers its own job kinds in its `jobs.py`; this merges them, refusing a kind two areas claim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from learnbridge.accounts import jobs as accounts_jobs
from learnbridge.core.jobs import JobHandler, RecurringJob
from learnbridge.core.settings import Settings
from learnbridge.notify import jobs as notify_jobs
from learnbridge.pull import jobs as pull_jobs
from learnbridge.push import jobs as push_jobs
from learnbridge.records import jobs as records_jobs


class AreaJobs(Protocol):
    """An area's `jobs.py`."""

    __name__: str

    def job_handlers(self, settings: Settings) -> dict[str, JobHandler]: ...


@runtime_checkable
class DailyJobs(Protocol):
    """An area's `jobs.py` that also has daily jobs."""

    def recurring_jobs(self) -> list[RecurringJob]: ...


AREAS: tuple[AreaJobs, ...] = (accounts_jobs, notify_jobs, records_jobs, push_jobs, pull_jobs)


def job_handlers(settings: Settings, areas: Sequence[AreaJobs] = AREAS) -> dict[str, JobHandler]:
    """Job kind -> handler, for every area; a kind registered by two areas is a ValueError, so the
    app or worker fails at start-up rather than one area's jobs silently running the other's handler."""
    merged: dict[str, JobHandler] = {}
    owners: dict[str, str] = {}
    for area in areas:
        for kind, handler in area.job_handlers(settings).items():
            if kind in owners:
                raise ValueError(f"job kind {kind!r}: registered by {owners[kind]} and {area.__name__}")
            merged[kind], owners[kind] = handler, area.__name__
    return merged


def recurring_jobs(areas: Sequence[AreaJobs] = AREAS) -> list[RecurringJob]:
    """Every area's daily jobs (times in UTC)."""
    return [job for area in areas if isinstance(area, DailyJobs) for job in area.recurring_jobs()]

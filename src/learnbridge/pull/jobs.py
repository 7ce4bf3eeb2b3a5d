"""Pull's background job: the recommender rebuilds its per-profile popularity table once a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.core.jobs import JobHandler, RecurringJob
from learnbridge.core.settings import Settings
from learnbridge.pull.recommend.signals import refresh_popularity

POPULARITY = "pull.popularity"


def _popularity(db: Session, payload: dict[str, Any]) -> None:
    refresh_popularity(db)


def job_handlers(settings: Settings) -> dict[str, JobHandler]:
    return {POPULARITY: _popularity}


def recurring_jobs() -> list[RecurringJob]:
    """The daily jobs (times in UTC)."""
    return [RecurringJob(kind=POPULARITY, at=dt.time(2, 0))]

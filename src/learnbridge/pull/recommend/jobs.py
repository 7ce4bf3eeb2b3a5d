"""The recommender's background job: rebuild the per-profile popularity table once a day."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from learnbridge.core.jobs import JobHandler
from learnbridge.pull.recommend.signals import refresh_popularity

POPULARITY = "pull.popularity"


def _popularity(db: Session, payload: dict[str, Any]) -> None:
    refresh_popularity(db)


def job_handlers() -> dict[str, JobHandler]:
    return {POPULARITY: _popularity}

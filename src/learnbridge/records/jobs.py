"""Records' background job: writing platform events (records.platform_events) to the LRS as the
platform's own statements (records.platform_statements)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from learnbridge.core.jobs import JobHandler
from learnbridge.core.settings import Settings
from learnbridge.records.platform_events import JOB, from_payload
from learnbridge.records.platform_statements import store_events


def job_handlers(settings: Settings) -> dict[str, JobHandler]:
    def platform_events(db: Session, payload: dict[str, Any]) -> None:
        """The job `platform_events.emit` queues: payload {"events": [...]}."""
        events = [from_payload(event) for event in payload.get("events", [])]
        store_events(db, events, base_url=settings.base_url)

    return {JOB: platform_events}

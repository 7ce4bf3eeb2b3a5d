"""What a video or document player reports for an attempt, handed to the kind's rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from learnbridge.content.media import document, video
from learnbridge.content.models import Attempt, ContentKind
from learnbridge.core.errors import Invalid
from learnbridge.records.completions import CompletionChange


@dataclass(frozen=True)
class Report:
    """A video's played stretches, position and duration (seconds), or a document's page and page count;
    `seconds` is the time spent since the previous report."""

    played: Sequence[Sequence[float]] = field(default_factory=list)
    position: float = 0.0
    duration: float = 0.0
    page: int | None = None
    pages: int | None = None
    seconds: int = 0


def record_media_progress(db: Session, attempt: Attempt, report: Report) -> CompletionChange:
    """Record a player's report on its attempt; the change is the completion it may have recorded."""
    kind = attempt.version.kind
    if kind == ContentKind.video.value:
        return video.record_watching(
            db,
            attempt,
            played=report.played,
            position=report.position,
            duration=report.duration,
            seconds=report.seconds,
        ).change
    if kind == ContentKind.document.value:
        if report.page is None:
            raise Invalid(field="page", message="a document's progress names the page shown")
        pages = report.pages or report.page
        return document.record_reading(
            db, attempt, page=report.page, pages=pages, seconds=report.seconds
        ).change
    raise Invalid(field="attempt_id", message="this attempt is not at a video or a document")

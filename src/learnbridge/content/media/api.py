"""The JSON endpoints the video and document players call from the player page (signed in by the
session cookie, with the page's CSRF token in the X-CSRF-Token header, as htmx sends it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.accounts.policy import Principal
from learnbridge.content import service
from learnbridge.content.media import document
from learnbridge.content.media.progress import Report, record_media_progress
from learnbridge.content.models import Attempt
from learnbridge.core.ids import Id
from learnbridge.pull.api import me
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence
from learnbridge.records.completions import CompletionChange

router = APIRouter(tags=["content"])
DAY = 24 * 3600.0
Seconds = Annotated[float, Field(ge=0, le=DAY)]


class MediaProgressIn(BaseModel):
    """A video reports `played` ([start, end] stretches of its timeline played since the last report),
    `position` and `duration`; a document reports `page` and `pages`. `seconds`: time spent since the
    last report."""

    model_config = ConfigDict(extra="forbid")

    played: list[tuple[Seconds, Seconds]] = Field(default_factory=list, max_length=500)
    position: Seconds = 0.0
    duration: Seconds = 0.0
    page: int | None = Field(default=None, ge=1, le=document.MAX_PAGES)
    pages: int | None = Field(default=None, ge=1, le=document.MAX_PAGES)
    seconds: int = Field(default=0, ge=0, le=3600)


class MediaProgressOut(BaseModel):
    attempt_id: int
    status: str
    progress: float
    location: str


def own_attempt(db: WriteDb, principal: Principal, attempt_id: int) -> Attempt:
    """The caller's own attempt: anyone else's, a manager's or an auditor's included, is not found."""
    return service.get_attempt(db, attempt_id, person_id=me(principal))


def _done(db: WriteDb, principal: Principal, attempt: Attempt, change: CompletionChange) -> MediaProgressOut:
    apply_evidence(db, change=change, actor=Actor.of(principal.account))
    db.commit()
    return MediaProgressOut(
        attempt_id=attempt.id, status=attempt.status, progress=attempt.progress, location=attempt.location
    )


@router.post("/attempts/{attempt_id}/media-progress")
def report_media_progress(
    attempt_id: Id, body: MediaProgressIn, db: WriteDb, principal: CurrentPrincipal
) -> MediaProgressOut:
    """Record what a video or document player saw; completes the attempt at its rule (see each kind)."""
    attempt = own_attempt(db, principal, attempt_id)
    report = Report(**body.model_dump())
    return _done(db, principal, attempt, record_media_progress(db, attempt, report))

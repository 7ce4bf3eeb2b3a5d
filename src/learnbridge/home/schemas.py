"""API shapes for what the home area assembles: the transcript."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from learnbridge.catalog.schemas import ItemRef
from learnbridge.core.paging import Page


class TranscriptItemOut(BaseModel):
    """One completion that stands (revoked ones are left out)."""

    item: ItemRef
    completed_at: dt.datetime
    source: str = Field(
        description="manual, import, attendance, xapi, content, quiz, acknowledgement or self"
    )
    score: float | None = Field(
        description="Scaled score -1..1 (xAPI result.score.scaled) of the attempt that recorded it, if any"
    )
    expires_at: dt.date | None = Field(description="The day the certification it holds expires, if it does")
    completion_id: int
    certificate_url: str


class TranscriptPage(Page[TranscriptItemOut]):
    pass

"""The signed-in person's transcript under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.catalog.schemas import ItemRef
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden
from learnbridge.home.schemas import TranscriptItemOut, TranscriptPage
from learnbridge.home.transcript_views import TranscriptLine, transcript

router = APIRouter(tags=["transcript"])


def line_out(line: TranscriptLine) -> TranscriptItemOut:
    return TranscriptItemOut(
        item=ItemRef(id=line.item_id, title=line.item_title),
        completed_at=line.completed_at,
        source=line.source,
        score=line.score,
        expires_at=line.expires_on,
        completion_id=line.completion_id,
        certificate_url=f"/certificates/{line.completion_id}.pdf",
    )


@router.get("/me/transcript")
def get_my_transcript(
    db: Db,
    principal: CurrentPrincipal,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TranscriptPage:
    """Everything the caller completed (any source, not revoked), newest first, a page at a time."""
    if principal.person_id is None:
        raise Forbidden("This account is not linked to a person.")
    page = transcript(db, person_id=principal.person_id, cursor=cursor, limit=limit)
    return TranscriptPage(items=[line_out(line) for line in page.items], next=page.next)

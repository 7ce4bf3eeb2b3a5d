"""A person's transcript: everything they completed (any source, not revoked), newest first, with the
score of the attempt that recorded it and the expiry of the certification it holds.

It lives in `home` because it reads three areas at once: records (the completions), content (the
attempt whose `completion_id` names the completion, for its score) and push (the assignment, or a
closed cycle of it, that the completion satisfied, for its expiry). One query per page: the score and
the expiry are correlated scalar subqueries, so a page of 50 lines is one statement, never 50.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.content.models import Attempt
from learnbridge.core.paging import Keyset, keyset_page
from learnbridge.push.models import Assignment, AssignmentCycle
from learnbridge.records.models import SOURCE_LABELS, Completion, CompletionSource

PAGE = 50
EXPORT_CHUNK = 1000
CSV_HEADER = ["Item id", "Item", "Completed at (UTC)", "Source", "Score %", "Expires on", "Evidence"]


@dataclass(frozen=True)
class TranscriptLine:
    """One completion as the transcript shows it."""

    completion_id: int
    item_id: int
    item_title: str
    completed_at: dt.datetime
    source: str
    evidence: str
    # Scaled -1..1 (xAPI's result.score.scaled), from the content attempt that recorded the completion.
    score: float | None
    expires_on: dt.date | None

    @property
    def source_label(self) -> str:
        try:
            return SOURCE_LABELS[CompletionSource(self.source)]
        except ValueError:
            return self.source

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)

    def expired(self, today: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on <= today


def _score() -> Any:
    """The best score of the attempts that recorded the completion (normally exactly one)."""
    return (
        select(func.max(Attempt.score))
        .where(Attempt.completion_id == Completion.id)
        .correlate(Completion)
        .scalar_subquery()
    )


def _expiry() -> Any:
    """Until when the completion holds a certification: the open assignment it completed, or a closed
    cycle of one (a recertified requirement keeps each past cycle). None where nothing expires."""
    held = union_all(
        select(Assignment.expires_on.label("expires_on")).where(Assignment.completion_id == Completion.id),
        select(AssignmentCycle.expires_on.label("expires_on")).where(
            AssignmentCycle.completion_id == Completion.id
        ),
    ).subquery()
    return select(func.max(held.c.expires_on)).correlate(Completion).scalar_subquery()


def _lines() -> Select[Any]:
    return select(
        Completion.id,
        Completion.item_id,
        LearningItem.title,
        Completion.completed_at,
        Completion.source,
        Completion.evidence,
        _score(),
        _expiry(),
    ).join(LearningItem, LearningItem.id == Completion.item_id)


def _of_person(person_id: int) -> Select[Any]:
    return _lines().where(Completion.person_id == person_id, Completion.revoked_at.is_(None))


def transcript(db: Session, *, person_id: int, cursor: str | None = None, limit: int = PAGE) -> Keyset[Any]:
    """A page of the person's completions that stand, newest first (keyset on completed_at, id)."""
    found = keyset_page(
        db,
        _of_person(person_id),
        order=[Completion.completed_at, Completion.id],
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    return Keyset([TranscriptLine(*row) for row in found.items], found.next)


def transcript_line(db: Session, *, completion_id: int) -> TranscriptLine | None:
    """One completion as a transcript line, revoked or not (None when there is no such completion)."""
    row = db.execute(_lines().where(Completion.id == completion_id)).one_or_none()
    return None if row is None else TranscriptLine(*row)


def export_rows(db: Session, *, person_id: int) -> Iterator[list[str]]:
    """The whole transcript as CSV cells, newest first, read in pages."""
    yield CSV_HEADER
    cursor: str | None = None
    while True:
        page = transcript(db, person_id=person_id, cursor=cursor, limit=EXPORT_CHUNK)
        for line in page.items:
            yield [
                str(line.item_id),
                line.item_title,
                line.completed_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                line.source_label,
                "" if line.score_percent is None else str(line.score_percent),
                line.expires_on.isoformat() if line.expires_on else "",
                line.evidence,
            ]
        if page.next is None:
            return
        cursor = page.next

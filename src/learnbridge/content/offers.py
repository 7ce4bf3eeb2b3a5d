"""Where a person stands with an item's content: their progress (status, best score, attempts) and what
the item's page offers them next (one action: Start, Resume, Take the quiz, Acknowledge ...)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.content.models import Attempt, AttemptStatus, ContentKind, ContentVersion, Slot
from learnbridge.content.service import current_version, delivery
from learnbridge.records.models import Completion


@dataclass(frozen=True)
class Progress:
    """A person's progress on an item's main content: `status` is not_started, in_progress, completed,
    passed or failed; `score` the best scaled score; `attempts` how many they made."""

    status: str
    score: float | None
    attempts: int
    attempt: Attempt | None = None
    completed_at: dt.datetime | None = None


_RANK = {
    AttemptStatus.passed.value: 4,
    AttemptStatus.completed.value: 3,
    AttemptStatus.in_progress.value: 2,
    AttemptStatus.failed.value: 1,
}


def progress(db: Session, *, person_id: int, item_id: int, slot: Slot = Slot.main) -> Progress:
    """Passed or completed once is passed or completed for good; otherwise the latest attempt says. An
    item finished by other means (attendance, a record, an import) is completed even without attempts."""
    stmt = (
        select(Attempt)
        .join(ContentVersion, ContentVersion.id == Attempt.version_id)
        .where(Attempt.person_id == person_id, Attempt.item_id == item_id, ContentVersion.slot == slot.value)
        .order_by(Attempt.started_at, Attempt.id)
    )
    attempts = list(db.scalars(stmt))
    scores = [a.score for a in attempts if a.score is not None]
    best = max(scores) if scores else None
    done = [a for a in attempts if a.status in (AttemptStatus.passed.value, AttemptStatus.completed.value)]
    if done:
        top = max(done, key=lambda a: (_RANK[a.status], a.finished_at or a.started_at))
        return Progress(top.status, best, len(attempts), attempts[-1], top.finished_at)
    if slot is Slot.main:
        completion = db.scalar(
            select(Completion)
            .where(
                Completion.person_id == person_id,
                Completion.item_id == item_id,
                Completion.revoked_at.is_(None),
            )
            .order_by(Completion.completed_at.desc())
            .limit(1)
        )
        if completion is not None:
            return Progress(
                "completed", best, len(attempts), attempts[-1] if attempts else None, completion.completed_at
            )
    if attempts:
        return Progress(attempts[-1].status, best, len(attempts), attempts[-1])
    return Progress("not_started", None, 0)


@dataclass(frozen=True)
class Offer:
    """What an item's page offers the person: its content (with their progress), the quizzes before and
    after it, and whether they may mark it complete themselves."""

    main: ContentVersion | None
    progress: Progress
    pre_test: ContentVersion | None
    post_test: ContentVersion | None
    pre_progress: Progress | None
    post_progress: Progress | None
    self_completion: bool
    # Attempts the person may still start at the main content (None: no limit).
    attempts_left: int | None = None

    @property
    def action(self) -> str:
        """The one thing to do next, in words: Start, Resume, Take the quiz, Acknowledge, ..."""
        if self.main is None:
            return "Mark complete" if self.self_completion and self.progress.status == "not_started" else ""
        kind = ContentKind(self.main.kind)
        status = self.progress.status
        if kind is ContentKind.policy:
            return "Acknowledge" if status not in ("completed", "passed") else "Read again"
        if kind is ContentKind.quiz:
            if status in ("not_started", "failed"):
                return "" if self.attempts_left == 0 else "Take the quiz"
            return "See your result"
        if status == "in_progress":
            return "Resume"
        if status in ("completed", "passed"):
            return "Open again"
        return "Try again" if status == "failed" else "Start"


def offer(db: Session, *, item_id: int, person_id: int | None) -> Offer:
    main = current_version(db, item_id)
    pre, post = current_version(db, item_id, Slot.pre_test), current_version(db, item_id, Slot.post_test)
    none = Progress("not_started", None, 0)

    def of(version: ContentVersion | None, slot: Slot) -> Progress | None:
        if version is None:
            return None
        return progress(db, person_id=person_id, item_id=item_id, slot=slot) if person_id else none

    mine = progress(db, person_id=person_id, item_id=item_id) if person_id else none
    left = attempts_left(db, person_id=person_id, version=main) if person_id and main else None
    return Offer(
        main,
        mine,
        pre,
        post,
        of(pre, Slot.pre_test),
        of(post, Slot.post_test),
        delivery(db, item_id).self_completion,
        left,
    )


def attempts_left(db: Session, *, person_id: int, version: ContentVersion) -> int | None:
    """How many more attempts the person may start at this version (None: no limit)."""
    limit = version.spec.get("attempts_limit")
    if not limit:
        return None
    made = db.scalar(
        select(func.count())
        .select_from(Attempt)
        .where(Attempt.person_id == person_id, Attempt.version_id == version.id)
    )
    return max(0, int(limit) - (made or 0))

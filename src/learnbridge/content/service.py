"""The rules of delivery: which version of an item's content is current, starting and resuming attempts,
recording how far an attempt got, and finishing it, which records the completion (through
`records.completions`) and the attempt's statement in the LRS (through `records.platform_events`).

Every function that can finish an attempt returns the `CompletionChange` it made; the page or API route
that called it hands the change to push (`push.fulfilment.apply_evidence`), above this area, which
applies it to assignments."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.content.models import (
    Attempt,
    AttemptStatus,
    ContentKind,
    ContentVersion,
    ItemDelivery,
    Slot,
)
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, Forbidden, NotFound
from learnbridge.records.completions import CompletionChange, NewCompletion, record_completions
from learnbridge.records.models import CompletionSource, Origin
from learnbridge.records.platform_events import ActivityRef, PlatformEvent, emit
from learnbridge.records.platform_iris import ITEM_TYPES, item_path

# What a finished attempt of each kind records its completion as.
SOURCES = {
    ContentKind.quiz: CompletionSource.quiz,
    ContentKind.policy: CompletionSource.acknowledgement,
}


def published_item(db: Session, item_id: int) -> LearningItem:
    item = db.get(LearningItem, item_id)
    if item is None or item.status != ItemStatus.published.value:
        raise NotFound(f"No catalogue item {item_id}.")
    return item


def current_version(db: Session, item_id: int, slot: Slot = Slot.main) -> ContentVersion | None:
    """The newest version of the item's content in `slot`: what a new attempt uses."""
    stmt = (
        select(ContentVersion)
        .where(ContentVersion.item_id == item_id, ContentVersion.slot == slot.value)
        .order_by(ContentVersion.version.desc())
        .limit(1)
    )
    return db.scalar(stmt)


def versions(db: Session, item_id: int) -> list[ContentVersion]:
    """Every version of the item's content, newest first in each slot."""
    stmt = select(ContentVersion).where(ContentVersion.item_id == item_id)
    return list(db.scalars(stmt.order_by(ContentVersion.slot, ContentVersion.version.desc())))


def add_version(
    db: Session,
    *,
    item_id: int,
    kind: ContentKind,
    spec: dict[str, Any],
    title: str = "",
    slot: Slot = Slot.main,
    storage_key: str = "",
    size_bytes: int = 0,
    created_by_id: int | None = None,
) -> ContentVersion:
    """The item's next content version in `slot`. Two uploads at once may not take the same number:
    the unique constraint refuses the second, which the caller reports as a conflict."""
    if db.get(LearningItem, item_id) is None:
        raise NotFound(f"No catalogue item {item_id}.")
    latest = db.scalar(
        select(func.max(ContentVersion.version)).where(
            ContentVersion.item_id == item_id, ContentVersion.slot == slot.value
        )
    )
    version = ContentVersion(
        item_id=item_id,
        slot=slot.value,
        version=(latest or 0) + 1,
        kind=kind.value,
        title=title,
        spec=spec,
        storage_key=storage_key,
        size_bytes=size_bytes,
        created_by_id=created_by_id,
    )
    db.add(version)
    db.flush()
    return version


def get_version(db: Session, version_id: int) -> ContentVersion:
    version = db.get(ContentVersion, version_id)
    if version is None:
        raise NotFound(f"No content version {version_id}.")
    return version


# ---- attempts -------------------------------------------------------------------------------------------


def latest_attempt(db: Session, *, person_id: int, item_id: int, slot: Slot = Slot.main) -> Attempt | None:
    stmt = (
        select(Attempt)
        .join(ContentVersion, ContentVersion.id == Attempt.version_id)
        .where(Attempt.person_id == person_id, Attempt.item_id == item_id, ContentVersion.slot == slot.value)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
    )
    return db.scalar(stmt)


def attempts_of(db: Session, *, person_id: int, version_id: int) -> list[Attempt]:
    stmt = select(Attempt).where(Attempt.person_id == person_id, Attempt.version_id == version_id)
    return list(db.scalars(stmt.order_by(Attempt.number)))


def launch(
    db: Session, *, person_id: int, item_id: int, slot: Slot = Slot.main, origin: Origin = Origin.self
) -> Attempt:
    """The person's attempt to carry on with: the unfinished one if there is one (resumed on the version
    it began on), otherwise a new attempt on the current version. A new attempt is `launched` in the LRS."""
    item = published_item(db, item_id)
    version = current_version(db, item_id, slot)
    if version is None:
        raise NotFound(f"{item.title} has no content to open.")
    latest = latest_attempt(db, person_id=person_id, item_id=item_id, slot=slot)
    if latest is not None and not latest.finished:
        return latest
    if latest is not None and latest.version_id == version.id and version.kind == ContentKind.policy.value:
        return latest  # acknowledged already: the policy is shown again, with when
    return start_attempt(db, person_id=person_id, item=item, version=version, origin=origin)


def start_attempt(
    db: Session, *, person_id: int, item: LearningItem, version: ContentVersion, origin: Origin = Origin.self
) -> Attempt:
    """A new attempt on `version`, numbered after the person's earlier ones."""
    before = (
        db.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(Attempt.person_id == person_id, Attempt.version_id == version.id)
        )
        or 0
    )
    limit = version.spec.get("attempts_limit")
    if limit and before >= int(limit):
        raise Conflict(f"You have used all {limit} attempts at {item.title}.")
    now = utcnow()
    attempt = Attempt(
        version_id=version.id,
        item_id=item.id,
        person_id=person_id,
        number=before + 1,
        registration=str(uuid.uuid4()),
        status=AttemptStatus.in_progress.value,
        started_at=now,
        updated_at=now,
        data={"origin": Origin(origin).value},
    )
    db.add(attempt)
    db.flush()
    emit(db, [_event(attempt, item, verb="launched", at=now)])
    return attempt


def get_attempt(db: Session, attempt_id: int, *, person_id: int | None = None) -> Attempt:
    """An attempt; with `person_id`, only that person's own (anyone else's is not found)."""
    # Every caller reads the attempt's version next (its kind, its spec): one query for both.
    attempt = db.get(Attempt, attempt_id, options=[joinedload(Attempt.version)])
    if attempt is None or (person_id is not None and attempt.person_id != person_id):
        raise NotFound(f"No attempt {attempt_id}.")
    return attempt


def record_progress(
    attempt: Attempt,
    *,
    progress: float | None = None,
    location: str | None = None,
    seconds: int = 0,
    data: dict[str, Any] | None = None,
) -> None:
    """What the player reports while the attempt runs: how far (the furthest point reached is kept),
    where to resume, time spent since the last report and the kind's own state."""
    if attempt.finished:
        return
    if progress is not None:
        attempt.progress = max(attempt.progress, min(max(progress, 0.0), 1.0))
    if location is not None:
        attempt.location = location[:1000]
    attempt.seconds_spent += max(0, min(seconds, 24 * 3600))
    if data:
        attempt.data = {**attempt.data, **data}
    attempt.updated_at = utcnow()


def finish_attempt(
    db: Session,
    attempt: Attempt,
    *,
    status: AttemptStatus,
    score: float | None = None,
    counts: bool | None = None,
) -> CompletionChange:
    """End the attempt as completed, passed or failed, with its scaled score. A completed or passed
    attempt of the item's main content or its post-test records the completion (once), unless `counts`
    says otherwise; every ending is a statement. Finishing a finished attempt changes nothing."""
    if attempt.finished:
        return CompletionChange()
    if status is AttemptStatus.in_progress:
        raise ValueError("an attempt finishes completed, passed or failed")
    now = utcnow()
    attempt.status = status.value
    attempt.score = score if score is None else max(-1.0, min(1.0, score))
    attempt.finished_at = now
    attempt.updated_at = now
    if status is not AttemptStatus.failed:
        attempt.progress = 1.0
    item = attempt.version.item
    emit(db, [_event(attempt, item, verb=status.value, at=now)])
    if counts is None:
        counts = status is not AttemptStatus.failed and attempt.version.slot != Slot.pre_test.value
    if not counts:
        return CompletionChange()
    kind = ContentKind(attempt.version.kind)
    change = record_completions(
        db,
        source=SOURCES.get(kind, CompletionSource.content),
        completions=[
            NewCompletion(
                person_id=attempt.person_id,
                item_id=attempt.item_id,
                completed_at=now,
                evidence=_evidence(attempt),
                reference=f"attempt:{attempt.id}",
            )
        ],
    )
    if change.added:
        attempt.completion_id = change.added[0].id
    return change


def _evidence(attempt: Attempt) -> str:
    version = attempt.version
    words = f"{version.kind_label} version {version.version}, attempt {attempt.number}"
    if attempt.score is not None:
        words += f", score {round(attempt.score * 100)}%"
    return words


def _event(attempt: Attempt, item: LearningItem, *, verb: str, at: dt.datetime) -> PlatformEvent:
    result: dict[str, Any] | None = None
    if verb in ("completed", "passed", "failed"):
        result = {
            "completion": verb != "failed",
            "success": verb != "failed" if verb != "completed" else None,
        }
        if attempt.score is not None:
            result["score"] = {"scaled": round(attempt.score, 4)}
        if attempt.seconds_spent:
            result["duration"] = f"PT{attempt.seconds_spent}S"
        result = {k: v for k, v in result.items() if v is not None}
    return PlatformEvent(
        key=f"attempt:{attempt.id}:{verb}",
        person_id=attempt.person_id,
        verb=verb,
        activity=ActivityRef(
            id=item_path(item.id), name=item.title, type=ITEM_TYPES.get(item.kind, ITEM_TYPES["course"])
        ),
        origin=Origin(attempt.data.get("origin", Origin.self.value)),
        timestamp=at,
        registration=uuid.UUID(attempt.registration),
        result=result,
    )


# ---- marking complete by oneself ------------------------------------------------------------------------


def delivery(db: Session, item_id: int) -> ItemDelivery:
    """The item's delivery settings (defaults when never set)."""
    return db.get(ItemDelivery, item_id) or ItemDelivery(item_id=item_id, self_completion=False)


def set_self_completion(db: Session, *, item_id: int, allowed: bool) -> None:
    settings = db.get(ItemDelivery, item_id)
    if settings is None:
        db.add(ItemDelivery(item_id=item_id, self_completion=allowed))
    else:
        settings.self_completion = allowed


def mark_complete(db: Session, *, person_id: int, item_id: int) -> CompletionChange:
    """The person says they finished the item, where its admin allows that. Once per person and item."""
    item = published_item(db, item_id)
    if not delivery(db, item_id).self_completion:
        raise Forbidden(f"{item.title} cannot be marked complete by learners.")
    now = utcnow()
    change = record_completions(
        db,
        source=CompletionSource.self,
        completions=[
            NewCompletion(
                person_id, item_id, now, evidence="Marked complete", reference=f"self:{person_id}:{item_id}"
            )
        ],
    )
    if change.added:
        emit(
            db,
            [
                PlatformEvent(
                    key=f"self-completion:{person_id}:{item_id}",
                    person_id=person_id,
                    verb="completed",
                    activity=ActivityRef(
                        item_path(item.id), item.title, ITEM_TYPES.get(item.kind, ITEM_TYPES["course"])
                    ),
                    origin=Origin.self,
                    timestamp=now,
                )
            ],
        )
    return change

"""The SCORM player's routes: the table of contents, a SCO session's starting data and its commits.
Only the attempt's owner may read or write them; to anyone else the attempt does not exist (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.content.models import Attempt
from learnbridge.content.scorm import runtime
from learnbridge.content.scorm.schemas import (
    AttemptStanding,
    CommitIn,
    CommitOut,
    Control,
    LaunchOut,
    PlayerOut,
    TocEntry,
)
from learnbridge.core.deps import Db
from learnbridge.core.ids import Id
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence

router = APIRouter(tags=["content"])
ScoId = Annotated[str, Path(min_length=1, max_length=255)]
SessionId = Annotated[str, Query(min_length=1, max_length=64)]


def standing(attempt: Attempt) -> AttemptStanding:
    return AttemptStanding(
        id=attempt.id,
        status=attempt.status,
        score=attempt.score,
        progress=attempt.progress,
        seconds_spent=attempt.seconds_spent,
        finished=attempt.finished,
    )


@router.get("/attempts/{attempt_id}/scorm")
def player(attempt_id: Id, db: Db, principal: CurrentPrincipal) -> PlayerOut:
    """The package's table of contents with each SCO's standing in this attempt, and where to open."""
    attempt = runtime.scorm_attempt(db, attempt_id, person_id=principal.person_id)
    version = attempt.version
    rows = runtime.states(db, attempt.id)
    files = f"/content/{version.id}/files/"
    items = []
    for item in version.spec.get("items", []):
        row = rows.get(item["id"])
        items.append(
            TocEntry(
                id=item["id"],
                title=item["title"],
                depth=item.get("depth", 0),
                visible=item.get("visible", True),
                type=item.get("type"),
                launch_url=files + item["href"] if item.get("href") else None,
                completion_status=row.completion_status if row else None,
                success_status=row.success_status if row else None,
                score=row.score if row else None,
            )
        )
    return PlayerOut(
        kind=version.kind,
        title=version.title,
        control=Control(**version.spec.get("control", {"choice": True, "flow": True, "forward_only": False})),
        current=runtime.current_item(version, attempt, rows),
        items=items,
        attempt=standing(attempt),
    )


@router.get("/attempts/{attempt_id}/scos/{sco_id}/runtime")
def launch_sco(attempt_id: Id, sco_id: ScoId, db: Db, principal: CurrentPrincipal) -> LaunchOut:
    """The CMI a new session of the SCO starts from (resume data after a suspend), for loadFromJSON."""
    attempt = runtime.scorm_attempt(db, attempt_id, person_id=principal.person_id)
    launch = runtime.launch(db, attempt, sco_id=sco_id)
    return LaunchOut(cmi=launch.cmi, session=launch.session, review=launch.review)


@router.post("/attempts/{attempt_id}/scos/{sco_id}/runtime")
def commit_sco(
    attempt_id: Id,
    sco_id: ScoId,
    body: CommitIn,
    session: SessionId,
    db: WriteDb,
    principal: CurrentPrincipal,
    terminate: bool = False,
) -> CommitOut:
    """Store the SCO's committed CMI (scorm-again's lmsCommitUrl); a terminating commit may finish the
    attempt, which records the completion and completes the learner's assignments."""
    attempt = runtime.scorm_attempt(db, attempt_id, person_id=principal.person_id)
    done = runtime.commit(db, attempt, sco_id=sco_id, cmi=body.cmi, session=session, terminate=terminate)
    if done.change.added or done.change.revoked:
        apply_evidence(db, change=done.change, actor=Actor.of(principal.account))
    db.commit()
    return CommitOut(
        recorded=done.recorded,
        completion_status=done.sco.completion,
        success_status=done.sco.success,
        score=done.sco.score,
        attempt=standing(done.attempt),
    )

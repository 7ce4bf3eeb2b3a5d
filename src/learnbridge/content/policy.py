"""Links and policies: content a person opens or reads, without a package.

A policy is a text to read (or a PDF: the document kind's viewer shows it) that the person confirms with
"I have read and understood". Each confirmation is kept per policy version, with its time. A new version
of the policy supersedes the acknowledgements of the older ones: their completions are revoked, so the
assignments of the requirement's audience open again until each person acknowledges the new version.

A link is an address outside the platform; opening it starts an attempt, and it is completed either by
the person ("I have finished") or by an xAPI statement about it (`completion: "xapi"`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, StringConstraints
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from learnbridge.content.kinds import Parsed
from learnbridge.content.models import Acknowledgement, Attempt, AttemptStatus, ContentKind, ContentVersion
from learnbridge.content.service import finish_attempt
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict
from learnbridge.records.completions import CompletionChange, revoke_completions
from learnbridge.records.models import CompletionSource

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["policy"]
    title: Title = ""
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200_000)]
    # How the organisation names the version ("v2", "2026-12"); the version number is always kept too.
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["link"]
    title: Title = ""
    url: AnyHttpUrl
    completion: Literal["learner", "xapi"] = "learner"


def read_policy(data: PolicyIn) -> Parsed:
    return Parsed(ContentKind.policy, data.title, {"text": data.text, "label": data.label})


def read_link(data: LinkIn) -> Parsed:
    return Parsed(ContentKind.link, data.title, {"url": str(data.url), "completion": data.completion})


def acknowledge(db: Session, attempt: Attempt) -> CompletionChange:
    """The person read and understood the attempt's policy version: kept with its time, and completed."""
    version = attempt.version
    if version.kind != ContentKind.policy.value:
        raise Conflict("Only a policy is acknowledged.")
    found = db.scalar(
        select(Acknowledgement).where(
            Acknowledgement.version_id == version.id, Acknowledgement.person_id == attempt.person_id
        )
    )
    change = finish_attempt(db, attempt, status=AttemptStatus.completed)
    if found is None:
        db.add(
            Acknowledgement(
                version_id=version.id,
                item_id=version.item_id,
                person_id=attempt.person_id,
                acknowledged_at=attempt.finished_at or utcnow(),
                completion_id=attempt.completion_id,
            )
        )
    return change


def acknowledgement_of(db: Session, *, version_id: int, person_id: int) -> Acknowledgement | None:
    stmt = select(Acknowledgement).where(
        Acknowledgement.version_id == version_id, Acknowledgement.person_id == person_id
    )
    return db.scalar(stmt)


def supersede(db: Session, new: ContentVersion) -> CompletionChange:
    """A new policy version: the acknowledgements of the item's older versions no longer count."""
    now = utcnow()
    older = select(ContentVersion.id).where(
        ContentVersion.item_id == new.item_id,
        ContentVersion.slot == new.slot,
        ContentVersion.version < new.version,
    )
    attempts = db.scalars(
        select(Attempt.id).where(Attempt.version_id.in_(older), Attempt.completion_id.is_not(None))
    ).all()
    db.execute(
        update(Acknowledgement)
        .where(Acknowledgement.version_id.in_(older), Acknowledgement.superseded_at.is_(None))
        .values(superseded_at=now),
        execution_options={"synchronize_session": False},
    )
    references = [f"attempt:{attempt_id}" for attempt_id in attempts]
    return revoke_completions(db, source=CompletionSource.acknowledgement, references=references, at=now)


def spec_summary(spec: dict[str, Any]) -> str:
    label = spec.get("label")
    return f"version {label}" if label else ""

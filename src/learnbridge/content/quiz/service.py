"""Taking a built-in quiz: the attempt's question order, marking a submission, and its statements.

A submission marks the attempt once: its answers, the order shown and each question's result are kept
in the attempt's data; one `answered` statement per question (with the response and whether it was
right) goes to the LRS, then `content.service.finish_attempt` ends the attempt as passed or failed with
its score, which records the completion where the quiz's slot counts (not a pre-test).

The answered statements carry `result.response` and `result.success` only: the platform's statement
builder (`records.platform_statements`) writes an activity's name and type, not an interaction's
definition (its interactionType and correctResponsesPattern)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from learnbridge.content import service
from learnbridge.content.models import Attempt, AttemptStatus, ContentKind, ContentVersion
from learnbridge.content.quiz.grading import Layout, Marked, Marking, layout, mark
from learnbridge.content.quiz.spec import QuizSpec
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict
from learnbridge.records.completions import CompletionChange
from learnbridge.records.models import Origin
from learnbridge.records.platform_events import ActivityRef, PlatformEvent, emit
from learnbridge.records.platform_iris import INTERACTION, ITEM_TYPES, item_path


def quiz_of(version: ContentVersion) -> QuizSpec:
    """The quiz a version holds (its spec was checked when it was stored)."""
    if version.kind != ContentKind.quiz.value:
        raise Conflict("This content is not a quiz.")
    return QuizSpec.model_validate(version.spec)


def attempt_layout(attempt: Attempt, spec: QuizSpec) -> Layout:
    """The order this attempt shows: the one kept with its answers, or the one its registration draws."""
    kept = attempt.data.get("layout")
    if isinstance(kept, list) and len(kept) == len(spec.questions):
        return Layout(tuple((int(q), tuple(int(c) for c in choices)) for q, choices in kept))
    return layout(spec, seed=attempt.registration)


@dataclass(frozen=True)
class Submitted:
    marking: Marking
    change: CompletionChange


def submit(db: Session, attempt: Attempt, *, answers: Mapping[int, Sequence[str]]) -> Submitted:
    """Mark the attempt's answers and finish it as passed or failed (see the module's docstring)."""
    if attempt.finished:
        raise Conflict("This attempt has already been submitted: start a new one to try again.")
    spec = quiz_of(attempt.version)
    marking = mark(spec, answers)
    now = utcnow()
    service.record_progress(
        attempt,
        progress=1.0,
        seconds=int((now - attempt.started_at).total_seconds()),
        data={
            "layout": attempt_layout(attempt, spec).as_data(),
            "answers": {str(m.index): list(m.given) for m in marking.marked},
        },
    )
    emit(db, [_answered(attempt, spec, m, at=now) for m in marking.marked])
    status = AttemptStatus.passed if marking.passed else AttemptStatus.failed
    return Submitted(marking, service.finish_attempt(db, attempt, status=status, score=marking.score))


def review(attempt: Attempt) -> Marking | None:
    """A submitted attempt marked again from its kept answers (for its results page); None before."""
    if not attempt.finished or "answers" not in attempt.data:
        return None
    answers = {int(k): list(v) for k, v in dict(attempt.data["answers"]).items()}
    return mark(quiz_of(attempt.version), answers)


def question_path(version: ContentVersion, index: int) -> str:
    """A question's activity id (a path under the base URL): per version, as questions change with it."""
    return f"{item_path(version.item_id)}/content/{version.id}/questions/{index + 1}"


def _answered(attempt: Attempt, spec: QuizSpec, marked: Marked, *, at: dt.datetime) -> PlatformEvent:
    version = attempt.version
    item = version.item
    return PlatformEvent(
        key=f"attempt:{attempt.id}:answered:{marked.index}",
        person_id=attempt.person_id,
        verb="answered",
        activity=ActivityRef(
            id=question_path(version, marked.index),
            name=spec.questions[marked.index].text[:250],
            type=INTERACTION,
        ),
        origin=Origin(attempt.data.get("origin", Origin.self.value)),
        timestamp=at,
        registration=uuid.UUID(attempt.registration),
        parents=(
            ActivityRef(item_path(item.id), item.title, ITEM_TYPES.get(item.kind, ITEM_TYPES["course"])),
        ),
        result={"response": marked.response, "success": marked.correct},
    )

"""The quiz's part of the player page: its questions in the attempt's order as a plain form (no script
needed), and after submitting, each question's result and feedback, the score and whether it passed,
with "Try again" while attempts remain."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.content import offers, service
from learnbridge.content.models import Attempt
from learnbridge.content.quiz import service as quizzes
from learnbridge.content.quiz.grading import Marked, Marking
from learnbridge.content.quiz.spec import Question
from learnbridge.core.deps import FormFields
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.pull.api import me
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
MAX_VALUES = 12
MAX_ANSWER = 300


@dataclass(frozen=True)
class QuestionView:
    number: int
    index: int
    question: Question
    choices: Sequence[tuple[int, str]]
    marked: Marked | None

    @property
    def field(self) -> str:
        return f"q{self.index}"


@dataclass(frozen=True)
class QuizView:
    title: str
    pass_mark: int
    questions: Sequence[QuestionView]
    marking: Marking | None
    attempts_left: int | None
    slot: str


def player_context(db: Session, attempt: Attempt) -> dict[str, Any]:
    """The quiz's questions in this attempt's order; once submitted, its marking too."""
    version = attempt.version
    spec = quizzes.quiz_of(version)
    marking = quizzes.review(attempt)
    by_index = {m.index: m for m in marking.marked} if marking else {}
    questions = [
        QuestionView(
            number=number,
            index=index,
            question=spec.questions[index],
            choices=[(c, spec.questions[index].choices[c].text) for c in choices],
            marked=by_index.get(index),
        )
        for number, (index, choices) in enumerate(quizzes.attempt_layout(attempt, spec).questions, start=1)
    ]
    left = offers.attempts_left(db, person_id=attempt.person_id, version=version)
    view = QuizView(spec.title, spec.pass_mark, questions, marking, left, version.slot)
    return {"quiz": view}


def answers_of(form: FormData, count: int) -> dict[int, list[str]]:
    """The form's answers per question index (`q<index>`), bounded: unknown fields are ignored."""
    answers: dict[int, list[str]] = {}
    for index in range(count):
        values = [str(v)[:MAX_ANSWER] for v in form.getlist(f"q{index}") if isinstance(v, str)]
        if values:
            answers[index] = values[:MAX_VALUES]
    return answers


@router.post("/attempts/{attempt_id}/quiz")
def submit_quiz(attempt_id: Id, db: WriteDb, principal: CurrentPrincipal, form: FormFields) -> Response:
    """Mark the submitted answers; the attempt's page then shows the results."""
    attempt = service.get_attempt(db, attempt_id, person_id=me(principal))
    answers = answers_of(form, len(quizzes.quiz_of(attempt.version).questions))
    submitted = quizzes.submit(db, attempt, answers=answers)
    apply_evidence(db, change=submitted.change, actor=Actor.of(principal.account))
    db.commit()
    return RedirectResponse(f"/attempts/{attempt.id}#results", status_code=303)


def quiz_from_form(form: FormData) -> dict[str, Any]:
    """The quiz pasted as JSON into the upload form, as the API takes it."""
    text = str(form.get("quiz") or "")
    try:
        body = json.loads(text)
    except ValueError:
        raise Invalid(field="quiz", message="is not valid JSON (see the example beside the box)") from None
    if not isinstance(body, dict):
        raise Invalid(field="quiz", message="must be a JSON object with the quiz's title and questions")
    return {**body, "kind": "quiz"}

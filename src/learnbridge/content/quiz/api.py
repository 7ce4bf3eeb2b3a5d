"""A quiz attempt under /api/v1, for clients other than the page: its questions in the attempt's order
(without the answers), and submitting answers, which marks it as the page's form does."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.content import service
from learnbridge.content.quiz import service as quizzes
from learnbridge.core.deps import Db
from learnbridge.core.ids import Id
from learnbridge.pull.api import me
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence

router = APIRouter(tags=["content"])


class ChoiceOut(BaseModel):
    value: str
    text: str


class QuestionOut(BaseModel):
    index: int
    kind: str
    text: str
    choices: list[ChoiceOut]


class QuizOut(BaseModel):
    attempt_id: int
    title: str
    pass_mark: int
    status: str
    questions: list[QuestionOut]


class AnswersIn(BaseModel):
    """Per question index (as listed), the values given: the choices' `value`s or the answer's text."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[int, list[str]] = Field(max_length=200)


class MarkedOut(BaseModel):
    index: int
    correct: bool
    feedback: str


class MarkingOut(BaseModel):
    attempt_id: int
    status: str
    score: float
    passed: bool
    questions: list[MarkedOut]


@router.get("/attempts/{attempt_id}/quiz")
def get_quiz(attempt_id: Id, db: Db, principal: CurrentPrincipal) -> QuizOut:
    """The caller's quiz attempt: its questions and choices in the order this attempt shows them."""
    attempt = service.get_attempt(db, attempt_id, person_id=me(principal))
    spec = quizzes.quiz_of(attempt.version)
    questions = [
        QuestionOut(
            index=index,
            kind=spec.questions[index].kind.value,
            text=spec.questions[index].text,
            choices=[ChoiceOut(value=str(c), text=spec.questions[index].choices[c].text) for c in choices],
        )
        for index, choices in quizzes.attempt_layout(attempt, spec).questions
    ]
    return QuizOut(
        attempt_id=attempt.id,
        title=spec.title,
        pass_mark=spec.pass_mark,
        status=attempt.status,
        questions=questions,
    )


@router.post("/attempts/{attempt_id}/quiz-answers")
def submit_answers(attempt_id: Id, body: AnswersIn, db: WriteDb, principal: CurrentPrincipal) -> MarkingOut:
    """Mark the answers and finish the attempt as passed or failed (409 once it is finished)."""
    attempt = service.get_attempt(db, attempt_id, person_id=me(principal))
    answers = {index: [value[:300] for value in values[:12]] for index, values in body.answers.items()}
    submitted = quizzes.submit(db, attempt, answers=answers)
    apply_evidence(db, change=submitted.change, actor=Actor.of(principal.account))
    db.commit()
    marking = submitted.marking
    return MarkingOut(
        attempt_id=attempt.id,
        status=attempt.status,
        score=marking.score,
        passed=marking.passed,
        questions=[MarkedOut(index=m.index, correct=m.correct, feedback=m.feedback) for m in marking.marked],
    )

"""Laying out and marking a quiz attempt: no database, so the rules are tested on their own.

The layout (question order, and choice order within each question) is drawn from a generator seeded
with the attempt's registration: the same attempt always shows the same order, on any device and after a
reload, while another attempt draws another. It is written to the attempt's data with the answers.

Answers arrive as the form sends them: per question (by its index in the spec) the values given, the
indices of the choices ticked or the text typed. A question is worth one point, all or nothing.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from learnbridge.content.quiz.spec import CHOICE_KINDS, Question, QuestionKind, QuizSpec

# The delimiter between the items of a choice interaction's response (xAPI 1.0.3 Part 2, 2.4.4.1, the
# response patterns of interaction activities).
LIST_DELIMITER = "[,]"


@dataclass(frozen=True)
class Layout:
    """Questions in the order shown, each as (its index in the spec, its choices' indices as shown)."""

    questions: tuple[tuple[int, tuple[int, ...]], ...]

    def as_data(self) -> list[list[object]]:
        return [[index, list(choices)] for index, choices in self.questions]


def layout(spec: QuizSpec, *, seed: str) -> Layout:
    """The attempt's order: the spec's own unless the quiz shuffles; true/false stays True, False."""
    rng = random.Random(seed)
    order = list(range(len(spec.questions)))
    if spec.shuffle:
        rng.shuffle(order)
    shown: list[tuple[int, tuple[int, ...]]] = []
    for index in order:
        question = spec.questions[index]
        choices = list(range(len(question.choices)))
        if spec.shuffle and question.kind is not QuestionKind.true_false:
            rng.shuffle(choices)
        shown.append((index, tuple(choices)))
    return Layout(tuple(shown))


@dataclass(frozen=True)
class Marked:
    """One question marked: what was given, whether it was right, the feedback and the xAPI response."""

    index: int
    correct: bool
    given: tuple[str, ...]
    response: str
    feedback: str


@dataclass(frozen=True)
class Marking:
    marked: tuple[Marked, ...]
    score: float  # the share of questions right, 0..1 (xAPI's scaled score)
    passed: bool

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def normalise(text: str) -> str:
    """Short answers match whatever their case and spacing."""
    return " ".join(text.split()).casefold()


def choice_id(index: int) -> str:
    """A choice's id in the statements: its place in the spec (never the shuffled place)."""
    return f"choice-{index}"


def mark(spec: QuizSpec, answers: Mapping[int, Sequence[str]]) -> Marking:
    """Mark every question (one left unanswered is wrong); pass at `pass_mark` percent or more."""
    marked = tuple(
        _mark_one(index, question, [a for a in answers.get(index, ()) if a.strip()])
        for index, question in enumerate(spec.questions)
    )
    score = sum(m.correct for m in marked) / len(marked)
    return Marking(marked=marked, score=score, passed=round(score * 100, 6) >= spec.pass_mark)


def _mark_one(index: int, question: Question, given: list[str]) -> Marked:
    if question.kind in CHOICE_KINDS:
        chosen = sorted({int(v) for v in given if v.isdigit() and int(v) < len(question.choices)})
        if question.kind is not QuestionKind.multiple:
            chosen = chosen[:1] if len(chosen) == 1 else []
        right = [i for i, choice in enumerate(question.choices) if choice.correct]
        correct = bool(chosen) and chosen == right
        values = tuple(str(i) for i in chosen)
        response = _choice_response(question, chosen)
    else:
        text = given[0].strip()[:300] if given else ""
        correct = bool(text) and normalise(text) in {normalise(a) for a in question.accepted}
        values, response = ((text,) if text else ()), text
    feedback = question.feedback.correct if correct else question.feedback.incorrect
    return Marked(index=index, correct=correct, given=values, response=response, feedback=feedback)


def _choice_response(question: Question, chosen: list[int]) -> str:
    if question.kind is QuestionKind.true_false and chosen:
        # The statement's answer, "true" or "false", where the choices say so; else the choice's id.
        text = question.choices[chosen[0]].text.casefold()
        if text in ("true", "false"):
            return text
    return LIST_DELIMITER.join(choice_id(i) for i in chosen)

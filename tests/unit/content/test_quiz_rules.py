"""A quiz's spec checked field by field, laid out per attempt, and marked."""

from __future__ import annotations

from typing import Any

import pytest

from learnbridge.content.quiz.grading import layout, mark, normalise
from learnbridge.content.quiz.spec import QuizSpec, quiz_spec, read_quiz
from learnbridge.core.errors import Invalid


def quiz(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "quiz",
        "title": "Forklift checks",
        "pass_mark": 75,
        "questions": [
            {
                "kind": "single",
                "text": "When do you check the forks?",
                "choices": [{"text": "Before every shift", "correct": True}, {"text": "Once a month"}],
                "feedback": {"correct": "Yes.", "incorrect": "Every shift."},
            },
            {
                "kind": "multiple",
                "text": "Which are checked?",
                "choices": [
                    {"text": "Tyres", "correct": True},
                    {"text": "Radio"},
                    {"text": "Brakes", "correct": True},
                ],
            },
            {"kind": "true_false", "text": "A faulty truck may be driven carefully.", "answer": False},
            {
                "kind": "short",
                "text": "Who do you tell about a fault?",
                "accepted": ["Team leader", "my manager"],
            },
        ],
    }
    body.update(overrides)
    return body


def problems(body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(Invalid) as caught:
        read_quiz(body)
    return {e.field: e.message for e in caught.value.errors}


def test_a_good_quiz_is_normalised_for_storage() -> None:
    spec = quiz_spec(quiz())
    assert "kind" not in spec and "slot" not in spec and spec["attempts_limit"] is None
    assert spec["questions"][2]["choices"] == [
        {"text": "True", "correct": False},
        {"text": "False", "correct": True},
    ]
    assert QuizSpec.model_validate(spec).questions[3].accepted == ["Team leader", "my manager"]


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"pass_mark": 101}, "pass_mark", "less than or equal to 100"),
        ({"attempts_limit": 0}, "attempts_limit", "greater than or equal to 1"),
        ({"questions": []}, "questions", "at least 1 item"),
        ({"title": "   "}, "title", "at least 1 character"),
        ({"slot": "exam"}, "slot", "'main', 'pre_test' or 'post_test'"),
        ({"extra": 1}, "extra", "Extra inputs are not permitted"),
    ],
)
def test_quiz_fields_are_bounded(change: dict[str, Any], field: str, says: str) -> None:
    assert says in problems(quiz(**change))[field]


@pytest.mark.parametrize(
    ("question", "field", "says"),
    [
        (
            {
                "kind": "single",
                "text": "?",
                "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}],
            },
            "questions.0.choices",
            "a single-choice question needs exactly one correct choice",
        ),
        (
            {"kind": "multiple", "text": "?", "choices": [{"text": "a"}, {"text": "b"}]},
            "questions.0.choices",
            "at least one correct",
        ),
        (
            {"kind": "single", "text": "?", "choices": [{"text": "a", "correct": True}]},
            "questions.0.choices",
            "at least two choices",
        ),
        (
            {
                "kind": "true_false",
                "text": "?",
                "choices": [{"text": "a", "correct": True}, {"text": "b"}, {"text": "c"}],
            },
            "questions.0.choices",
            "exactly two choices",
        ),
        ({"kind": "short", "text": "?"}, "questions.0.accepted", "at least one accepted answer"),
        (
            {"kind": "short", "text": "?", "accepted": ["x"], "choices": [{"text": "a"}, {"text": "b"}]},
            "questions.0.choices",
            "not choices",
        ),
        ({"kind": "essay", "text": "?"}, "questions.0.kind", "'single', 'multiple', 'true_false' or 'short'"),
        (
            {"kind": "short", "text": "x" * 2001, "accepted": ["x"]},
            "questions.0.text",
            "at most 2000 characters",
        ),
    ],
)
def test_each_question_must_fit_its_kind(question: dict[str, Any], field: str, says: str) -> None:
    assert says in problems(quiz(questions=[question]))[field]


def test_without_shuffling_the_order_is_the_spec_s() -> None:
    spec = read_quiz(quiz())
    assert layout(spec, seed="a").questions == ((0, (0, 1)), (1, (0, 1, 2)), (2, (0, 1)), (3, ()))


def test_shuffling_is_fixed_per_attempt_and_varies_between_attempts() -> None:
    spec = read_quiz(quiz(shuffle=True))
    first = layout(spec, seed="registration-1")
    assert layout(spec, seed="registration-1") == first  # the same attempt, the same order
    orders = {layout(spec, seed=f"registration-{n}").questions for n in range(30)}
    assert len(orders) > 5
    for shown in orders:
        assert sorted(q for q, _ in shown) == [0, 1, 2, 3]
        assert dict(shown)[2] == (0, 1)  # True stays before False
        assert sorted(dict(shown)[1]) == [0, 1, 2]


def test_marking_all_right_passes_with_full_marks() -> None:
    spec = read_quiz(quiz())
    marking = mark(spec, {0: ["0"], 1: ["2", "0"], 2: ["1"], 3: ["  TEAM   leader "]})
    assert marking.score == 1 and marking.passed and marking.percent == 100
    assert [m.response for m in marking.marked] == [
        "choice-0",
        "choice-0[,]choice-2",
        "false",
        "TEAM   leader",
    ]
    assert marking.marked[0].feedback == "Yes."


def test_marking_is_all_or_nothing_per_question_and_the_pass_mark_decides() -> None:
    spec = read_quiz(quiz())
    marking = mark(spec, {0: ["1"], 1: ["0"], 2: ["1"], 3: ["my  Manager"]})
    assert [m.correct for m in marking.marked] == [False, False, True, True]
    assert marking.score == 0.5 and not marking.passed
    assert marking.marked[0].feedback == "Every shift."
    three = mark(spec, {0: ["0"], 1: ["0", "2"], 2: ["1"]})
    assert three.percent == 75 and three.passed  # exactly the pass mark passes


def test_unanswered_tampered_and_doubled_answers_are_wrong() -> None:
    spec = read_quiz(quiz())
    marking = mark(spec, {0: ["0", "1"], 1: ["0", "2", "9", "x"], 2: [], 3: ["   "]})
    assert [m.correct for m in marking.marked] == [False, True, False, False]
    assert marking.marked[0].given == () and marking.marked[3].response == ""


def test_short_answers_ignore_case_and_spacing() -> None:
    assert normalise("  Team\tLEADER ") == normalise("team leader")

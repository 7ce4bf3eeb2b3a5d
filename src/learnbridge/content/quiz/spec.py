"""A built-in quiz as its admin writes it (JSON), checked before it is stored as a version's spec.

```json
{"kind": "quiz", "slot": "main|pre_test|post_test", "title": "...", "pass_mark": 80,
 "attempts_limit": 3, "shuffle": true,
 "questions": [{"kind": "single|multiple|true_false|short", "text": "...",
                "choices": [{"text": "...", "correct": true}], "accepted": ["..."],
                "feedback": {"correct": "...", "incorrect": "..."}}]}
```
A question is worth one point, all or nothing; the score is the share of points, `pass_mark` the
percentage that passes. A true/false question may give `"answer": true` instead of its two choices.
Every problem names the field's path (`questions.2.choices`), as the API's 422 answer shows it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from learnbridge.content.models import Slot
from learnbridge.core.errors import FieldError, Invalid

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class QuestionKind(enum.StrEnum):
    single = "single"
    multiple = "multiple"
    true_false = "true_false"
    short = "short"


KIND_LABELS = {
    QuestionKind.single: "single-choice",
    QuestionKind.multiple: "multiple-choice",
    QuestionKind.true_false: "true/false",
    QuestionKind.short: "short-answer",
}
CHOICE_KINDS = frozenset({QuestionKind.single, QuestionKind.multiple, QuestionKind.true_false})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    text: Short
    correct: bool = False


class Feedback(_Strict):
    correct: Note = ""
    incorrect: Note = ""


class Question(_Strict):
    kind: QuestionKind
    text: Text
    choices: list[Choice] = Field(default_factory=list, max_length=12)
    accepted: list[Short] = Field(default_factory=list, max_length=20)
    answer: bool | None = None
    feedback: Feedback = Field(default_factory=Feedback)

    @model_validator(mode="before")
    @classmethod
    def _true_false_answer(cls, data: Any) -> Any:
        """`"answer": true` is shorthand for the choices True (correct) and False."""
        if isinstance(data, dict) and data.get("kind") == "true_false" and not data.get("choices"):
            answer = data.get("answer")
            if isinstance(answer, bool):
                data = {
                    **data,
                    "choices": [
                        {"text": "True", "correct": answer},
                        {"text": "False", "correct": not answer},
                    ],
                }
        return data

    @model_validator(mode="after")
    def _answers_fit_the_kind(self) -> Self:
        correct = sum(choice.correct for choice in self.choices)
        # "field|message": read_quiz puts the field at the end of the error's path.
        label = KIND_LABELS[self.kind]
        if self.kind in CHOICE_KINDS:
            if self.accepted:
                raise ValueError("accepted|accepted answers are for short-answer questions only")
            if len(self.choices) < 2 or (self.kind is QuestionKind.true_false and len(self.choices) != 2):
                many = "exactly two" if self.kind is QuestionKind.true_false else "at least two"
                raise ValueError(f"choices|a {label} question needs {many} choices")
            if self.kind is not QuestionKind.multiple and correct != 1:
                raise ValueError(f"choices|a {label} question needs exactly one correct choice")
            if self.kind is QuestionKind.multiple and correct < 1:
                raise ValueError(f"choices|a {label} question needs at least one correct choice")
        elif self.choices:
            raise ValueError(f"choices|a {label} question has accepted answers, not choices")
        elif not self.accepted:
            raise ValueError(f"accepted|a {label} question needs at least one accepted answer")
        return self


class QuizSpec(_Strict):
    kind: Literal["quiz"] = "quiz"
    slot: Slot = Slot.main
    title: Short
    pass_mark: int = Field(default=80, ge=0, le=100)
    attempts_limit: int | None = Field(default=None, ge=1, le=100)
    shuffle: bool = False
    questions: list[Question] = Field(min_length=1, max_length=200)


def read_quiz(data: Any) -> QuizSpec:
    """The quiz in `data` (parsed JSON), or Invalid naming each field at fault by its path."""
    try:
        return QuizSpec.model_validate(data)
    except ValidationError as exc:
        raise Invalid([_field_error(error) for error in exc.errors()]) from None


def _field_error(error: Mapping[str, Any]) -> FieldError:
    path = [str(part) for part in error["loc"]]
    message = str(error["msg"]).removeprefix("Value error, ")
    field, bar, rest = message.partition("|")
    if bar:
        path.append(field)
        message = rest
    return FieldError(field=".".join(path) or "quiz", message=message)


def quiz_spec(data: Any) -> dict[str, Any]:
    """The version spec stored for a quiz: the checked quiz as plain JSON (normalised: true/false
    shorthand expanded), without the slot and kind, which the version itself holds."""
    return read_quiz(data).model_dump(mode="json", exclude={"kind", "slot"})


__all__ = ["Choice", "Invalid", "Question", "QuestionKind", "QuizSpec", "quiz_spec", "read_quiz"]

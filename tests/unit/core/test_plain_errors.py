"""Pydantic's messages are for programmers; people read these (core.errors.plain_message)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from learnbridge.core.errors import invalid_from


class Colour(StrEnum):
    red = "red"
    green = "green"


class Form(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=5)] = "ok"
    code: Annotated[str, Field(min_length=3)] = "abc"
    item_ids: Annotated[list[int], Field(min_length=1)] = [1]
    days: Annotated[int, Field(ge=0, le=365)] = 1
    when: dt.date = dt.date(2026, 1, 1)
    colour: Colour = Colour.red
    odd: int = 1

    @field_validator("odd")
    @classmethod
    def _odd(cls, value: int) -> int:
        if value % 2 == 0:
            raise ValueError("must be an odd number")
        return value


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "must not be empty"),
        ({"name": "toolong"}, "name", "must be at most 5 characters"),
        ({"code": "ab"}, "code", "must be at least 3 characters"),
        ({"item_ids": []}, "item_ids", "choose at least one"),
        ({"days": "x"}, "days", "must be a whole number"),
        ({"days": -1}, "days", "must be 0 or more"),
        ({"days": 366}, "days", "must be 365 or less"),
        ({"when": "next week"}, "when", "must be a date (YYYY-MM-DD)"),
        ({"colour": "blue"}, "colour", "must be one of 'red' or 'green'"),
        ({"odd": 2}, "odd", "must be an odd number"),
    ],
)
def test_each_message_is_plain_words(data: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Form.model_validate(data)
    errors = invalid_from(caught.value.errors()).errors
    assert [(e.field, e.message) for e in errors] == [(field, message)]


def test_a_kind_without_plain_words_keeps_pydantic_s_message() -> None:
    with pytest.raises(ValidationError) as caught:
        Form.model_validate({"name": ["a list"]})
    assert invalid_from(caught.value.errors()).errors[0].message == "Input should be a valid string"

"""core.deps.form_of: a form read into a Pydantic model, each broken field an Invalid naming it."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

import pytest
from pydantic import BaseModel, Field
from starlette.datastructures import FormData

from learnbridge.core.deps import form_of
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id


class RatingForm(BaseModel):
    skill_id: Id
    level: int
    note: Annotated[str, Field(max_length=10)] = "none"
    tags: list[Annotated[str, Field(max_length=10)]] = []


def parsed(*pairs: tuple[str, str]) -> RatingForm:
    # In a thread of its own: a worker that ran a browser test still has Playwright's loop running here.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, form_of(RatingForm)(FormData(list(pairs)))).result()


def test_a_valid_form_is_the_model_with_other_names_left_out() -> None:
    form = parsed(("csrf_token", "t"), ("skill_id", "7"), ("level", "3"), ("tags", "a"), ("tags", "b"))
    assert form == RatingForm(skill_id=7, level=3, note="none", tags=["a", "b"])


def test_an_empty_value_is_no_value_so_the_default_applies() -> None:
    assert parsed(("skill_id", "7"), ("level", "3"), ("note", "")).note == "none"


def test_each_broken_field_is_a_field_error_naming_it() -> None:
    with pytest.raises(Invalid) as caught:
        parsed(("skill_id", "0"), ("level", "high"), ("note", "n" * 11))
    assert caught.value.status == 422
    assert [e.field for e in caught.value.errors] == ["skill_id", "level", "note"]
    assert "must be 1 or more" in caught.value.errors[0].message


def test_a_missing_or_empty_required_field_is_named() -> None:
    with pytest.raises(Invalid) as caught:
        parsed(("level", ""))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("skill_id", "is required"),
        ("level", "is required"),
    ]


def test_a_list_item_is_named_with_its_position() -> None:
    with pytest.raises(Invalid) as caught:
        parsed(("skill_id", "1"), ("level", "1"), ("tags", "ok"), ("tags", "t" * 11))
    assert [e.field for e in caught.value.errors] == ["tags.1"]

"""Database ids as inputs: positive and within the integer column's range, so a huge number in a
path, query or body is a clear 422 naming the field, not a database overflow."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval

MAX_ID = 2**31 - 1
Id = Annotated[int, Interval(ge=1, le=MAX_ID)]

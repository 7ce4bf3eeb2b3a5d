"""Keyset paging, once: opaque cursors holding the sort key of the last row seen, the one helper that
pages a query on them, and the page shape every list endpoint answers with.

The next page starts after the cursor with a row-value comparison, `(a, b) > (x, y)` (descending:
`<`), which SQLite (3.15+) and PostgreSQL both evaluate and can answer from an index on (a, b)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, literal, tuple_
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.types import TypeDecorator

from learnbridge.core.errors import Invalid
from learnbridge.core.ids import MAX_ID

T = TypeVar("T")
ItemT = TypeVar("ItemT")
SortKey = ColumnElement[Any] | QueryableAttribute[Any]
NOT_OURS = "is not a cursor this API gave out"


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: subclass it with the item type and a plain name (`class ItemPage(Page[ItemOut])`)
    so that the OpenAPI schema is named for what it lists."""

    items: list[ItemT]
    next: str | None = Field(
        default=None, description="Pass as ?cursor= to get the next page; null on the last page"
    )


@dataclass(frozen=True)
class Keyset(Generic[T]):
    """A page of rows from `keyset_page`: the rows, and the cursor of the page after (None on the last)."""

    items: list[T]
    next: str | None


def keyset_page(
    db: Session,
    stmt: Select[*tuple[Any, ...]],
    *,
    order: Sequence[SortKey],
    descending: bool = False,
    cursor: str | None,
    limit: int,
) -> Keyset[Any]:
    """The page of `stmt` after `cursor`, ordered by `order` (its last column unique, e.g. the id), all
    ascending or all descending. A row is the selected entity, or a tuple when `stmt` selects several
    things. A cursor this API did not give out is Invalid, naming `cursor`."""
    width = len(stmt.column_descriptions)
    if cursor:
        after = _typed(decode_cursor(cursor, size=len(order)), order)
        keys = tuple_(*order) if len(order) > 1 else order[0]
        bound = [literal(value, type_=column.type) for value, column in zip(after, order, strict=True)]
        start = tuple_(*bound) if len(order) > 1 else bound[0]
        stmt = stmt.where(keys < start if descending else keys > start)
    stmt = stmt.add_columns(*order).order_by(*(c.desc() for c in order) if descending else order)
    rows = list(db.execute(stmt.limit(limit + 1)).all())
    items = [row[0] if width == 1 else tuple(row[:width]) for row in rows[:limit]]
    following = (
        encode_cursor([_plain_value(v) for v in rows[limit - 1][width:]]) if len(rows) > limit else None
    )
    return Keyset(items, following)


def encode_cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def decode_cursor(cursor: str, *, size: int = 2) -> list[object]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != size or not all(map(_plain, values)):
        raise Invalid(field="cursor", message=NOT_OURS)
    return values


def _plain_value(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _typed(values: list[object], order: Sequence[SortKey]) -> list[object]:
    """The cursor's values as the sort columns' Python types; anything else is not our cursor."""
    typed: list[object] = []
    for value, column in zip(values, order, strict=True):
        sql_type = column.type
        if isinstance(sql_type, TypeDecorator):
            sql_type = sql_type.impl_instance
        try:
            kind: type | None = sql_type.python_type
        except NotImplementedError:
            kind = None
        typed.append(_as(value, kind))
    return typed


def _as(value: object, kind: type | None) -> object:
    if kind is dt.datetime and isinstance(value, str):
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            raise Invalid(field="cursor", message=NOT_OURS) from None
        if when.tzinfo is not None:
            return when
    elif kind is float and isinstance(value, int | float):
        return float(value)
    elif isinstance(value, kind or (int, float, str)) and kind in (int, str, None):
        return value
    raise Invalid(field="cursor", message=NOT_OURS)


def _plain(value: object) -> bool:
    """Strings, finite numbers and ids a database column can hold: nothing that overflows a query."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= MAX_ID
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str)

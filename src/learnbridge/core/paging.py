"""Opaque keyset cursors: the sort key of the last row seen, so the next page starts after it."""

from __future__ import annotations

import base64
import json
import math

from learnbridge.core.errors import Invalid
from learnbridge.core.ids import MAX_ID


def encode_cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def decode_cursor(cursor: str, *, size: int = 2) -> list[object]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != size or not all(map(_plain, values)):
        raise Invalid(field="cursor", message="is not a cursor this API gave out")
    return values


def _plain(value: object) -> bool:
    """Strings, finite numbers and ids a database column can hold: nothing that overflows a query."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= MAX_ID
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str)

"""Opaque keyset cursors: the sort key of the last row seen, so the next page starts after it."""

from __future__ import annotations

import base64
import json

from learnbridge.core.errors import Invalid


def encode_cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def decode_cursor(cursor: str, *, size: int = 2) -> list[object]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise Invalid(field="cursor", message="is not a cursor this API gave out")
    return values

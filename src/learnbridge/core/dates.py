"""Dates and times as inputs: written out in ISO 8601 and nothing else. Pydantic on its own reads 0, "0"
or 1700000000 as a Unix timestamp (1 January 1970 for a due date), and a date-time without an offset as
local to nobody; these types refuse both with a 422 naming the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
_OFFSET = r"(Z|z|[+-]\d{2}:?\d{2})"
_MOMENT = re.compile(_TIME + _OFFSET)
_WALL_CLOCK = re.compile(_TIME + _OFFSET + "?")


def _written(pattern: re.Pattern[str], kind: type, example: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, kind) or (isinstance(value, str) and pattern.fullmatch(value.strip())):
            return value.strip() if isinstance(value, str) else value
        raise ValueError(f"must be written like {example}")

    return BeforeValidator(check)


# A calendar day: 2026-03-01.
Day = Annotated[dt.date, _written(_DAY, dt.date, "2026-03-01")]
# An instant, with its offset from UTC: 2026-03-01T09:30:00Z or 2026-03-01T10:30:00+01:00.
Moment = Annotated[dt.datetime, _written(_MOMENT, dt.datetime, "2026-03-01T09:30:00Z")]
# A wall-clock time, read in a time zone given beside it unless it carries an offset.
WallClock = Annotated[dt.datetime, _written(_WALL_CLOCK, dt.datetime, "2026-03-01T09:30")]

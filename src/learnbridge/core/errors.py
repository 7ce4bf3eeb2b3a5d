"""The error types services raise. `app.create_app` maps them to HTTP in one place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Not signed in"


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        # Seconds until a retry may succeed, for the Retry-After header (RFC 9110, section 10.2.3).
        self.retry_after = retry_after


@dataclass(frozen=True)
class FieldError:
    """One problem with one field; `row` is the 1-based line of a CSV file (the header is row 1)."""

    field: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"field": self.field, "message": self.message}
        if self.row is not None:
            data["row"] = self.row
        return data

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


class Invalid(DomainError):
    """Input that breaks a rule. Carries every problem found, not just the first."""

    status = 422
    title = "Invalid input"

    def __init__(self, errors: list[FieldError] | None = None, *, field: str = "", message: str = "") -> None:
        self.errors = list(errors or [])
        if field or message:
            self.errors.append(FieldError(field=field, message=message))
        summary = "; ".join(str(e) for e in self.errors[:5])
        if len(self.errors) > 5:
            summary += f"; and {len(self.errors) - 5} more"
        super().__init__(summary)


def invalid_from(errors: Iterable[Mapping[str, Any]]) -> Invalid:
    """Pydantic's validation errors (`exc.errors()`) as one Invalid naming each field."""
    return Invalid(
        [
            FieldError(field=".".join(str(p) for p in e["loc"]) or "form", message=plain_message(e))
            for e in errors
        ]
    )


# Pydantic's error types in plain words (its own messages are written for programmers: "List should
# have at least 1 item after validation, not 0"). `{name}` is filled from the error's context.
_PLAIN = {
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be yes or no",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_type": "must be a date (YYYY-MM-DD)",
    "datetime_parsing": "must be a date and time",
    "datetime_from_date_parsing": "must be a date and time",
    "greater_than_equal": "must be {ge} or more",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be {le} or less",
    "less_than": "must be less than {lt}",
    "string_too_long": "must be at most {max_length} characters",
    "too_long": "must have at most {max_length}",
    "enum": "must be one of {expected}",
    "literal_error": "must be one of {expected}",
}


def plain_message(error: Mapping[str, Any]) -> str:
    """One pydantic error's message in plain words, for people as much as for programs."""
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    if kind == "string_too_short":
        low = context.get("min_length", 1)
        return "must not be empty" if low == 1 else f"must be at least {low} characters"
    if kind == "too_short":
        low = context.get("min_length", 1)
        return "choose at least one" if low == 1 else f"must have at least {low}"
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = _PLAIN.get(kind)
    if template is None:
        return str(error.get("msg", ""))
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return str(error.get("msg", ""))

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
            FieldError(field=".".join(str(p) for p in e["loc"]) or "form", message=str(e["msg"]))
            for e in errors
        ]
    )

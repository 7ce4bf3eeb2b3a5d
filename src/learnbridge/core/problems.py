"""Errors to HTTP in one place: RFC 9457 problem JSON under /api, an HTML page elsewhere."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as SqlTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from learnbridge.core.errors import (
    Conflict,
    DomainError,
    FieldError,
    Invalid,
    TooManyRequests,
    Unauthorized,
    plain_message,
)
from learnbridge.core.templates import render

PROBLEM = "application/problem+json"
logger = logging.getLogger(__name__)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header")]
    return ".".join(parts) or "body"


def _validation_to_invalid(exc: RequestValidationError) -> Invalid:
    return Invalid([FieldError(field=_field_name(e["loc"]), message=plain_message(e)) for e in exc.errors()])


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/healthz"))


def problem(request: Request, exc: DomainError) -> Response:
    response = _problem(request, exc)
    if isinstance(exc, TooManyRequests) and exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _problem(request: Request, exc: DomainError) -> Response:
    if _wants_json(request):
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": exc.title,
            "status": exc.status,
            "detail": exc.message,
            "instance": request.url.path,
        }
        if isinstance(exc, Invalid):
            body["errors"] = [e.as_dict() for e in exc.errors]
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(body, status_code=exc.status, media_type=PROBLEM, headers=headers)
    if isinstance(exc, Unauthorized):
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    errors = exc.errors if isinstance(exc, Invalid) else []
    template = "_error.html" if request.headers.get("hx-request") else "error.html"
    return render(request, template, {"error": exc, "errors": errors}, status_code=exc.status)


# SQLSTATEs of a writer that could not have its lock in time: lock_not_available, deadlock_detected,
# serialization_failure (PostgreSQL); SQLite says "database is locked" (or "busy").
_BUSY_STATES = {"55P03", "40P01", "40001"}
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")
RETRY_AFTER_SECONDS = 5


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "someone else holds the lock; try again shortly"."""
    if isinstance(exc, SqlTimeout):  # no pooled connection came free in time
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if getattr(exc.orig, "sqlstate", None) in _BUSY_STATES:
        return True
    return any(words in str(exc.orig).lower() for words in _BUSY_WORDS)


# The column a constraint names: PostgreSQL's "DETAIL: Key (owner_id)=(7) ...", SQLite's "failed: t.col".
_CONSTRAINT_COLUMN = re.compile(r"Key \(([\w, ]+)\)=|failed: \w+\.(\w+)")


def integrity_problem(exc: IntegrityError) -> DomainError:
    """A constraint the database enforced, as the caller's error: a duplicate is 409, a reference to
    nothing (or a missing value) is 422, naming the column when the database says which."""
    text = str(exc.orig)
    found = _CONSTRAINT_COLUMN.search(text)
    column = next((g for g in found.groups() if g), "body") if found else "body"
    state = getattr(exc.orig, "sqlstate", None)
    if state == "23505" or "UNIQUE constraint failed" in text:
        return Conflict(f"{column}: a record with this value exists already")
    if state == "23503" or "FOREIGN KEY constraint failed" in text:
        return Invalid(field=column, message="refers to something that does not exist")
    return Invalid(field=column, message="breaks a rule of the stored data")


def busy(request: Request) -> Response:
    """503 with Retry-After: the database was busy with another writer for longer than we wait."""
    message = "The system is busy with other changes. Nothing was saved: try again in a few seconds."
    error = DomainError(message)
    error.status, error.title = 503, "Service unavailable"
    if request.url.path.startswith("/xapi"):
        headers = {"X-Experience-API-Version": "1.0.3"}
        response: Response = JSONResponse({"error": message}, status_code=503, headers=headers)
    else:
        response = problem(request, error)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def allowed_methods(request: Request) -> str:
    """Every method the path has, for a 405's Allow (RFC 9110, 15.5.6: it MUST list them). Starlette
    names only those of the first route it matched, where GET and POST are two routes of one path."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        pattern = getattr(context, "path_regex", None)
        if pattern is not None and pattern.match(request.url.path):
            methods.update(context.methods or ())
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    async def on_domain(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        return problem(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem(request, _validation_to_invalid(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        error = DomainError(str(exc.detail))
        error.status = exc.status_code
        titles = {400: "Bad request", 404: "Not found", 405: "Method not allowed"}
        error.title = titles.get(exc.status_code, "Error")
        response = problem(request, error)
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            response.headers["Allow"] = allowed_methods(request)
        return response

    async def on_database(request: Request, exc: Exception) -> Response:
        if is_busy(exc):
            return busy(request)
        if isinstance(exc, IntegrityError):
            # A rule the service should have checked first: still the caller's error, never a 500.
            logger.warning("integrity error reached the handler (add a check): %s", exc.orig)
            return problem(request, integrity_problem(exc))
        raise exc

    app.add_exception_handler(DBAPIError, on_database)
    app.add_exception_handler(SqlTimeout, on_database)
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)

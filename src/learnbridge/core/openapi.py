"""What the OpenAPI document says beyond what each route declares: how to authenticate, and the errors
every operation may answer with, as RFC 9457 problem JSON (core.problems writes them)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from learnbridge.core.problems import PROBLEM


class FieldProblem(BaseModel):
    field: str
    message: str
    row: int | None = None


class Problem(BaseModel):
    """An error (RFC 9457): `errors` names each field (and CSV row) at fault."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] | None = None


_WHY = {
    400: "The body could not be read as the declared content type (not UTF-8 JSON, say).",
    401: "No credentials, or a bearer token that is unknown or revoked.",
    403: "The caller's role may not do this (or, from a browser, the CSRF token is missing).",
    404: "No such object, or none the caller may see.",
    409: "The request conflicts with the object's state (already booked, archived, changed meanwhile).",
    413: "The request body is larger than this kind of request may be.",
    422: "Invalid input: `errors` names each field (and CSV row) at fault.",
    429: "Too many attempts; `Retry-After` says when to try again.",
    503: "The database was busy with other changes; nothing was saved. `Retry-After` says when to retry.",
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error answers, for a router's or a route's `responses`."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": _WHY[status], "content": {PROBLEM: {"schema": _PROBLEM_REF}}}
        if status in (429, 503):
            entry["headers"] = _RETRY_AFTER
        if status == 405:
            entry["headers"] = {
                "Allow": {"description": "The methods the path has", "schema": {"type": "string"}}
            }
        responses[status] = entry
    return responses


# Every /api/v1 operation may answer these.
API_ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422, 503)


def operation_id(route: APIRoute) -> str:
    """An operation's id is its route function's name (`list_needs`, not `me_api_v1_me_get`): readable
    in generated clients, and unique because every API route function is named for what it does."""
    return route.name


def install_openapi(app: FastAPI) -> None:
    """Build the document once, with the bearer token every /api/v1 operation needs."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = document.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        schemes = components.setdefault("securitySchemes", {})
        schemes["bearer"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (`learnbridge tokens create`). A signed-in browser may send its "
            "session cookie instead, with the X-CSRF-Token header on writes.",
        }
        for path, operations in document.get("paths", {}).items():
            if path.startswith("/api/v1/"):
                for operation in operations.values():
                    operation.setdefault("security", [{"bearer": []}])
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]

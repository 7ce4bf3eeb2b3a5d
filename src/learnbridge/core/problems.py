"""Errors to HTTP in one place: RFC 9457 problem JSON under /api, an HTML page elsewhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from learnbridge.core.errors import DomainError, FieldError, Invalid, Unauthorized
from learnbridge.core.templates import render

PROBLEM = "application/problem+json"


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header")]
    return ".".join(parts) or "body"


def _validation_to_invalid(exc: RequestValidationError) -> Invalid:
    return Invalid([FieldError(field=_field_name(e["loc"]), message=e["msg"]) for e in exc.errors()])


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/healthz"))


def problem(request: Request, exc: DomainError) -> Response:
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
        error.title = "Not found" if exc.status_code == 404 else "Error"
        return problem(request, error)

    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)

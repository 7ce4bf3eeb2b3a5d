"""Dependency-injection aliases shared by every area's routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.params import Query
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from learnbridge.core.db import session_scope
from learnbridge.core.errors import FieldError, Invalid
from learnbridge.core.settings import Settings
from learnbridge.core.uploads import CsvUpload, read_csv_upload


def get_db(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.sessionmaker)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Db = Annotated[Session, Depends(get_db)]


def remember_db(request: Request, db: Db) -> Iterator[None]:
    """Keep the request's session on request.state (an app-wide dependency), so a template helper
    such as the nav's unread badge reads through the same session and transaction as the route.
    It is forgotten when the route's dependencies close, before an error page is rendered, so
    nothing rendered later can reach the closed session."""
    request.state.db = db
    try:
        yield
    finally:
        del request.state.db


AppSettings = Annotated[Settings, Depends(get_settings)]


async def read_form(request: Request) -> FormData:
    """The submitted form (Starlette keeps it once read, so the CSRF check's read is reused). A route
    taking `FormFields` can be a plain `def`: it runs in the threadpool, so its database work never
    blocks the event loop."""
    return await request.form()


FormFields = Annotated[FormData, Depends(read_form)]


async def read_body(request: Request) -> bytes:
    """The raw request body (bounded by core.limits), read in the event loop for a plain `def` route."""
    return await request.body()


RawBody = Annotated[bytes, Depends(read_body)]

# What every CSV import route takes: the body under /api, the form's file on a page (core.uploads).
CsvFile = Annotated[CsvUpload, Depends(read_csv_upload)]


_DECLARED = "learnbridge_query_parameters"


def _declared_query(route: APIRoute) -> frozenset[str]:
    """The query parameters an operation reads, its dependencies' included (worked out once per route)."""
    declared: frozenset[str] | None = getattr(route, _DECLARED, None)
    if declared is None:
        params = get_flat_params(route.dependant)
        declared = frozenset(p.alias for p in params if isinstance(p.field_info, Query))
        setattr(route, _DECLARED, declared)
    return declared


def known_query_only(request: Request) -> None:
    """An API request naming a query parameter its operation does not have is refused (422 naming it),
    so a misspelt filter (`?includ_closed=true`) is an error, not silently the unfiltered answer."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    unknown = sorted(set(request.query_params) - _declared_query(route))
    if unknown:
        raise Invalid(
            [
                FieldError(field=name or "(blank)", message="is not a parameter of this operation")
                for name in unknown
            ]
        )

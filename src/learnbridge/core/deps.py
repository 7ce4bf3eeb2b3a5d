"""Dependency-injection aliases shared by every area's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.params import Query
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from learnbridge.core.errors import FieldError, Invalid, invalid_from
from learnbridge.core.settings import Settings
from learnbridge.core.uploads import CsvUpload, read_csv_upload

# Threads of their own for closing sessions. Closing in the threadpool the routes use could wait behind
# routes that wait for a connection, while the connections wait to be closed: with more requests at once
# than the pool has connections, every request stopped (the load bench's 64 connections did).
_CLOSERS = CapacityLimiter(8)


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request's session (see core.db.session_scope). Made in the event loop, where making one costs
    no I/O, and closed in a thread of the closers' own when a transaction is still open (closing rolls it
    back and gives the connection back); after a route's commit, closing is no I/O and stays in the
    event loop."""
    db = request.app.state.sessionmaker(close_resets_only=False)
    try:
        yield db
    finally:
        if db.in_transaction():
            await to_thread.run_sync(db.close, limiter=_CLOSERS)
        else:
            db.close()  # the route committed: no connection is held, closing is no I/O


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Db = Annotated[Session, Depends(get_db)]


async def remember_db(request: Request, db: Db) -> AsyncIterator[None]:
    """Keep the request's session on request.state (an app-wide dependency), so a template helper
    such as the nav's unread badge reads through the same session and transaction as the route.
    It is forgotten when the route's dependencies close, before an error page is rendered, so
    nothing rendered later can reach the closed session. It touches no database, so it runs in the event
    loop: a plain generator would cost every request two trips to the threadpool."""
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

M = TypeVar("M", bound=BaseModel)
_SEQUENCES = (list, set, frozenset, tuple)


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        return any(_is_sequence(arg) for arg in get_args(annotation))
    return origin in _SEQUENCES or annotation in _SEQUENCES


def form_input(model: type[BaseModel], form: FormData) -> dict[str, Any]:
    """The model's fields from a form, read as FastAPI reads `Form()` fields: a list field takes every
    value sent under its name; an empty value is no value, so the field's default applies (or, with no
    default, the field is reported missing). Other names in the form (the CSRF token) are left out."""
    data: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if _is_sequence(field.annotation):
            if values := form.getlist(key):
                data[key] = values
        elif (value := form.get(key)) not in (None, ""):
            data[key] = value
    return data


def parse_form(model: type[M], form: FormData) -> M:
    """A form as `model`; every broken field is one FieldError naming the form's field (422)."""
    try:
        return model.model_validate(form_input(model, form))
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None


def form_of(model: type[M]) -> Callable[[FormData], Coroutine[Any, Any, M]]:
    """The one way a page reads a form: `form: Annotated[BookForm, Depends(form_of(BookForm))]` (or an
    alias of that per form). The form is read once (`read_form`, shared with the CSRF check, which runs
    first as a router dependency), then validated by the Pydantic model, whose constraints bound every
    input: a string field has a max_length, an id is `core.ids.Id`. A broken field raises `Invalid` naming
    it, which the app's handler renders as the 422 error page (or problem JSON).

    Put the form parameter after the route's principal, so that a refusal by role (403) comes before a
    complaint about the form, as it did when fields were FastAPI `Form()` parameters. A route that
    shows its own page again beside the form on an error calls `parse_form` inside its `try` instead.
    Forms whose field names are not fixed (attendance: one `attendance-<person id>` radio per booking;
    the item, session and requirement editors' repeated rows) take the raw `FormFields`."""

    async def parse(form: FormFields) -> M:
        return parse_form(model, form)

    return parse


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


async def known_query_only(request: Request) -> None:
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

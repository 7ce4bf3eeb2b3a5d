"""Dependency-injection aliases shared by every area's routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from learnbridge.core.db import session_scope
from learnbridge.core.settings import Settings


def get_db(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.sessionmaker)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Db = Annotated[Session, Depends(get_db)]


def remember_db(request: Request, db: Db) -> None:
    """Keep the request's session on request.state (an app-wide dependency), so a template helper
    such as the nav's unread badge reads through the same session and transaction as the route."""
    request.state.db = db


AppSettings = Annotated[Settings, Depends(get_settings)]


async def read_form(request: Request) -> FormData:
    """The submitted form (Starlette keeps it once read, so the CSRF check's read is reused). A route
    taking `FormFields` can be a plain `def`: it runs in the threadpool, so its database work never
    blocks the event loop."""
    return await request.form()


FormFields = Annotated[FormData, Depends(read_form)]

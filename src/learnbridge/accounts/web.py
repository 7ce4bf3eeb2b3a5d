"""Sign-in and sign-out pages."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts import service
from learnbridge.core.db import begin_write
from learnbridge.core.deps import AppSettings, Db
from learnbridge.core.errors import TooManyRequests
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


def _safe_next(value: str) -> str:
    # Only same-site paths: never an open redirect to another host.
    return value if value.startswith("/") and not value.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "accounts/login.html", {"next": _safe_next(next), "email": "", "message": ""})


@router.post("/login")
def login(
    request: Request,
    db: Db,
    settings: AppSettings,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    client = request.client.host if request.client else "unknown"
    # A sign-in always writes after reading (a failed attempt, or the new session): on SQLite that
    # upgrade fails at once if another connection committed meanwhile, so the write lock comes first.
    begin_write(db)
    try:
        account = service.authenticate(
            db,
            email=email,
            password=password,
            client=client,
            max_failures=settings.login_max_failures,
            window_minutes=settings.login_window_minutes,
        )
    except TooManyRequests as exc:
        return render(
            request, "accounts/login.html", {"next": next, "email": email, "message": exc.message}, 429
        )
    if account is None:
        db.commit()
        message = "That e-mail address and password do not match an account."
        return render(request, "accounts/login.html", {"next": next, "email": email, "message": message}, 400)
    token = service.start_session(db, account=account, hours=settings.session_hours)
    db.commit()
    request.session.clear()
    request.session.update({"sid": token, "csrf": secrets.token_urlsafe(32)})
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, db: Db) -> Response:
    if token := request.session.get("sid"):
        service.end_session(db, token=str(token))
        db.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)

"""Sign-in and sign-out pages."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts import service
from learnbridge.accounts.deps import WriteDb
from learnbridge.accounts.devices import read_device, remember_device
from learnbridge.accounts.forms import Login
from learnbridge.accounts.throttle import SignInLimits
from learnbridge.core.clients import request_client
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
def login(request: Request, db: WriteDb, settings: AppSettings, form: Login) -> Response:
    email, next = form.email, form.next
    device = read_device(request, settings)
    # A sign-in always writes after reading (a failed attempt, or the new session), so it takes WriteDb.
    try:
        account = service.authenticate(
            db,
            email=email,
            password=form.password,
            client=request_client(request),
            device=device,
            limits=SignInLimits.from_settings(settings),
        )
    except TooManyRequests as exc:
        context = {"next": next, "email": email, "message": exc.message}
        response: Response = render(request, "accounts/login.html", context, 429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if account is None:
        db.commit()
        message = "That e-mail address and password do not match an account."
        return render(request, "accounts/login.html", {"next": next, "email": email, "message": message}, 400)
    token = service.start_session(db, account=account, hours=settings.session_hours)
    db.commit()
    request.session.clear()
    request.session.update({"sid": token, "csrf": secrets.token_urlsafe(32)})
    response = RedirectResponse(_safe_next(next), status_code=303)
    remember_device(response, settings, account_id=account.id, known=device)
    return response


@router.post("/logout")
def logout(request: Request, db: Db) -> Response:
    if token := request.session.get("sid"):
        service.end_session(db, token=str(token))
        db.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)

"""The device cookie: a browser that has signed in to an account keeps a signed note saying so, which
exempts it from the limits a guesser elsewhere can run up (see `accounts.throttle`)."""

from __future__ import annotations

import secrets

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from learnbridge.accounts.throttle import KnownDevice
from learnbridge.core.settings import Settings

COOKIE = "learnbridge_device"
MAX_AGE = 365 * 24 * 3600


def _signer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.resolved_secret_key(), salt="learnbridge.device")


def read_device(request: Request, settings: Settings) -> KnownDevice | None:
    """The request's device cookie, if it carries one this app signed in the last year."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        data = _signer(settings).loads(value, max_age=MAX_AGE)
    except BadData:  # tampered with, expired, signed with another key, or not ours at all
        return None
    if not isinstance(data, dict) or type(data.get("a")) is not int or not isinstance(data.get("d"), str):
        return None
    return KnownDevice(account_id=data["a"], device_id=data["d"][:64])


def remember_device(
    response: Response, settings: Settings, *, account_id: int, known: KnownDevice | None
) -> None:
    """Give the browser (or renew) its cookie for this account after a successful sign-in."""
    same = known is not None and known.account_id == account_id
    device_id = known.device_id if known is not None and same else secrets.token_urlsafe(16)
    response.set_cookie(
        COOKIE,
        _signer(settings).dumps({"a": account_id, "d": device_id}),
        max_age=MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )

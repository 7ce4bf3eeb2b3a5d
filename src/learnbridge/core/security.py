"""CSRF protection for every browser form (synchronizer token kept in the signed session cookie)."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Request
from itsdangerous import BadData, URLSafeTimedSerializer

from learnbridge.core.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Reject an unsafe request whose form field or header does not carry the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise Forbidden("The form has expired or did not come from this site: reload the page and try again.")


def _links(request: Request, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt=f"learnbridge.link.{purpose}")


def sign_link(request: Request, purpose: str, *parts: Any) -> str:
    """A token for a link that acts when followed (a GET that records something): made for the signed-in
    person's page, so another site cannot make one that acts in their name."""
    return str(_links(request, purpose).dumps(list(parts)))


def link_is_signed(request: Request, purpose: str, token: str, *parts: Any, max_age: int) -> bool:
    """Whether the token was made by sign_link for exactly these parts, less than max_age seconds ago."""
    try:
        return bool(_links(request, purpose).loads(token, max_age=max_age) == list(parts))
    except BadData:
        return False

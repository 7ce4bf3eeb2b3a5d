"""Who is asking: a bearer token (API) or the signed session cookie (browser)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from learnbridge.accounts import service
from learnbridge.accounts.policy import Principal, Role, principal_for
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden, Unauthorized
from learnbridge.core.security import SAFE_METHODS, csrf_protect


async def _check_csrf_for_cookie_api(request: Request) -> None:
    # A browser calling the API with its session cookie must prove the request came from our pages.
    if request.method not in SAFE_METHODS:
        await csrf_protect(request)


async def optional_principal(request: Request, db: Db) -> Principal | None:
    """The signed-in principal or None; remembered on request.state for templates."""
    account = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        account = service.account_for_token(db, token=auth[7:].strip())
        if account is None:
            raise Unauthorized("The bearer token is unknown or revoked.")
        db.commit()  # keeps last_used_at
    elif token := request.session.get("sid"):
        account = service.account_for_session(db, token=str(token))
        if account is not None and request.url.path.startswith("/api/"):
            await _check_csrf_for_cookie_api(request)
    if account is None:
        return None
    principal = principal_for(db, account)
    request.state.account = account
    request.state.roles = principal.roles
    return principal


async def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in first.")
    return principal


def require_role(*roles: Role) -> object:
    """A dependency that lets through only principals holding one of these roles."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.roles & set(roles):
            names = " or ".join(role.value for role in roles)
            raise Forbidden(f"This needs the {names} role.")
        return principal

    return Depends(check)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
